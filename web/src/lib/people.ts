/**
 * People by name: records keep a login (`by`, an audit event's actor), screens show the person's
 * display name (GET /people, read once per page load). A login the directory does not know is
 * shown as it is.
 */
import { useEffect, useState } from 'react';
import type { Person } from '@shared/app/directory';
import { api } from './api';

let loaded: Promise<Map<string, Person>> | undefined;

function load(): Promise<Map<string, Person>> {
  loaded ??= api
    .get<{ people: Person[] }>('/people')
    .then((r) => new Map(r.data.people.map((p) => [p.username, p])))
    .catch(() => {
      loaded = undefined;
      return new Map<string, Person>();
    });
  return loaded;
}

/** `(login) => display name`, the login itself until the list is read (or when unknown). */
export function usePeople(): (username: string | undefined) => string {
  const [people, setPeople] = useState<Map<string, Person>>();
  useEffect(() => {
    let live = true;
    void load().then((m) => live && setPeople(m));
    return () => {
      live = false;
    };
  }, []);
  return (username) => (username ? (people?.get(username)?.displayName ?? username) : '');
}
