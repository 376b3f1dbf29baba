import mongoose from "mongoose";

/**
 * The one way services and tests connect: `ignoreUndefined` so that absent optional fields stay
 * absent (the driver would otherwise store them as null, which the schemas then refuse).
 */
export function connectMongo(url: string, dbName: string): Promise<mongoose.Connection> {
  return mongoose.createConnection(url, { dbName, ignoreUndefined: true }).asPromise();
}
