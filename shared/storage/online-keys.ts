/**
 * Keys of the online petitions' short-lived items in the single table (beside keys.ts): the
 * counters of the rate limits and the SMS verification codes. Both expire by the table's TTL
 * (`expiresAt`); subjects are keyed hashes (never a raw phone, ID number or IP address).
 *
 *   item            pk                              sk              TTL
 *   rate counter    RATE#<bucket>#<subject hash>    <window start>  the window's end (+ a day)
 *   SMS code        SMSCODE#<phone hash>            #CODE           the code's expiry (+ a day)
 *   used token      ONCE#<kind>#<token hash>        #ONCE           the token's expiry (+ a day)
 *
 * A counter is one item per subject and window: a conditional update adds a hit while it is
 * under the limit (no read first, no Scan); the next window is another item.
 */
export const onlineKey = {
  rate: (bucket: string, subject: string, windowStart: string) => ({ pk: `RATE#${bucket}#${subject}`, sk: windowStart }),
  smsCode: (phoneKey: string) => ({ pk: `SMSCODE#${phoneKey}`, sk: '#CODE' }),
  once: (kind: string, subject: string) => ({ pk: `ONCE#${kind}#${subject}`, sk: '#ONCE' }),
};
