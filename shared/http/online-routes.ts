/**
 * The routes of 网上信访 (docs/online.md), beside their response schemas: the challenge, the SMS
 * code, the submission (function `online`), and 催办 from the public query (function `public`).
 * Every one is public (no token) and rate-limited (429 with Retry-After).
 */
import { z } from 'zod';
import { OnlineSubmissionSchema, SmsCodeRequestSchema } from '../domain/online';
import { PublicViewResponse } from './responses';
import { route } from './route';
import { PublicQuerySchema } from './schemas';

export const ChallengeResponse = z.object({
  algorithm: z.literal('SHA-256'),
  challenge: z.string(),
  maxnumber: z.number().int(),
  salt: z.string(),
  signature: z.string(),
});

export const SmsCodeResponse = z.object({ sentTo: z.string(), expiresInSeconds: z.number().int() });

export const OnlineReceiptResponse = z.looseObject({
  caseNo: z.string(),
  queryCode: z.string(),
  receivedOn: z.string(),
  notifyDue: z.string().optional(),
  receiptDocumentId: z.string().optional(),
  uploads: z.array(
    z.looseObject({ documentId: z.string(), fileName: z.string(), upload: z.looseObject({ url: z.string(), fields: z.record(z.string(), z.string()) }) }),
  ),
});

export const ONLINE_ROUTES = [
  route({
    id: 'onlineChallenge',
    method: 'GET',
    path: '/public/online/challenge',
    function: 'online',
    auth: false,
    roles: [],
    limited: true,
    summary: 'A proof-of-work challenge (ALTCHA format, signed; nothing stored) to solve before asking for an SMS code',
    tag: 'online',
    responses: { 200: ChallengeResponse },
  }),
  route({
    id: 'onlineSmsCode',
    method: 'POST',
    path: '/public/online/sms-code',
    function: 'online',
    auth: false,
    roles: [],
    limited: true,
    summary: 'Send a 6-digit verification code to a mobile number: the solved challenge (each answers once), limits per number, client IP and ID number',
    tag: 'online',
    body: SmsCodeRequestSchema,
    responses: { 200: SmsCodeResponse },
  }),
  route({
    id: 'onlineSubmit',
    method: 'POST',
    path: '/public/online/petitions',
    function: 'online',
    auth: false,
    roles: [],
    limited: true,
    summary:
      '网上信访: submit a petition with the SMS code (used once); registered at once (channel online, clocks from today), the receipt issued; answers the case number and the query code (shown once) and upload links of the attachments. Same person and matter still open: 409 naming its number',
    tag: 'online',
    body: OnlineSubmissionSchema,
    responses: { 201: OnlineReceiptResponse },
  }),
  route({
    id: 'publicUrge',
    method: 'POST',
    path: '/public/urge',
    function: 'public',
    auth: false,
    roles: [],
    limited: true,
    summary:
      '催办: the petitioner urges a case past its due date (case number + query code); recorded on the case with a notice to the clerk and the department; at most once per N days (429)',
    tag: 'public',
    body: PublicQuerySchema,
    responses: { 200: PublicViewResponse },
  }),
] as const;
