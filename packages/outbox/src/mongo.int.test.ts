import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { eventually, testDatabase, testEnv } from "@logis/testing";
import type { mongo } from "mongoose";
import { expect, it } from "vitest";
import { mongoReady } from "./mongo.js";

const isFerretDb = async (db: mongo.Db) => "ferretdbVersion" in (await db.admin().command({ buildInfo: 1 }));

it("mongoReady is true while the database answers a query, on a named collection or the first one listed", async () => {
  const database = await testDatabase("ready");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  expect(await mongoReady(database.connection, 1000)()).toBe(true); // no collection yet: listing answers
  await db.collection("docs").insertOne({ _id: "a" } as never);
  expect(await mongoReady(database.connection, 1000)()).toBe(true);
  expect(await mongoReady(database.connection, 1000, "docs")()).toBe(true);
  await database.close();
  expect(await mongoReady(database.connection, 1000, "docs")()).toBe(false); // closed connection
});

// The freeze of issue 10 (decision 0009): every SQLite connection of the database held by an open
// result set. Open cursors are one real way to get there on FerretDB; `ping` does not notice.
it("mongoReady is false within its timeout when the database cannot run a query, where ping still answers", async () => {
  const database = await testDatabase("ready");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  const docs = db.collection<{ _id: number }>("docs");
  await docs.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
  const ready = mongoReady(database.connection, 500, "docs");
  expect(await ready()).toBe(true);
  if (!(await isFerretDb(db))) {
    await database.close(); // MongoDB: an open cursor holds no connection; nothing to freeze
    return;
  }
  const cursors: mongo.FindCursor[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      const cursor = docs.find({}, { batchSize: 1 });
      await cursor.next(); // first batch read, cursor left open on the server
      cursors.push(cursor);
    }
    const started = Date.now();
    expect(await ready()).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await db.admin().command({ ping: 1 })).ok).toBe(1);
  } finally {
    await Promise.all(cursors.map((c) => c.close()));
  }
  expect(await ready()).toBe(true);
  await database.close();
});

// A client killed with open cursors (SIGKILL of a service): FerretDB closes a connection's cursors
// when the connection ends, so their SQLite connections come back.
it("the cursors of a client killed with SIGKILL are closed with its connection", async () => {
  const database = await testDatabase("ready");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  await db.collection("docs").insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as never[]);
  const ready = mongoReady(database.connection, 500, "docs");
  if (!(await isFerretDb(db))) {
    await database.close();
    return;
  }
  const script = `
    import mongoose from "mongoose";
    const c = await mongoose.createConnection(process.argv[1], { dbName: process.argv[2] }).asPromise();
    const docs = c.db.collection("docs");
    for (let i = 0; i < 100; i++) await docs.find({}, { batchSize: 1 }).next();
    console.log("open");
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, testEnv().MONGO_URL, database.name], {
    cwd: resolve(import.meta.dirname, ".."),
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await once(child.stdout, "data");
    expect(await ready()).toBe(false);
    child.kill("SIGKILL");
    await eventually(async () => expect(await ready()).toBe(true), 10_000);
  } finally {
    child.kill("SIGKILL");
  }
  await database.close();
});
