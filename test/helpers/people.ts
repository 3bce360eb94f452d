import { ApiClient } from "./client.js";

export type Person = { id: string; name: string; client: ApiClient };

let n = 0;

/** Adds a user with the given role through the admin API and logs them in. */
export async function addPerson(admin: ApiClient, name: string, role: "admin" | "supervisor" | "agent" = "agent"): Promise<Person> {
  n++;
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${n}-${Date.now()}@test.local`;
  const password = `${role}-password-${n}`;
  const res = await admin.post("/api/users", { email, name, role, password });
  if (res.status !== 201) throw new Error(`user creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, name, client: await ApiClient.login(admin.base, email, password) };
}

/** Sets a person's own availability as they would from the console's switch. */
export async function setAvailability(person: Person, availability: "online" | "away" | "offline") {
  const res = await person.client.put("/api/me/availability", { availability });
  if (res.status !== 200) throw new Error(`availability failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.user;
}
