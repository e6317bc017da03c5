/**
 * The SQLite schema, one numbered migration per entry; `PRAGMA user_version` records how many have run.
 * Append only: a released migration never changes.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     msg_id TEXT NOT NULL UNIQUE,
     topic TEXT NOT NULL,
     signer TEXT NOT NULL,
     timestamp INTEGER NOT NULL,
     i INTEGER NOT NULL,
     cert_sha256 TEXT NOT NULL,
     received_at INTEGER NOT NULL,
     envelope TEXT NOT NULL
   );
   CREATE INDEX messages_topic_time ON messages (topic, timestamp, id);
   CREATE INDEX messages_time ON messages (timestamp, id);
   CREATE INDEX messages_signer_i ON messages (signer, i);
   CREATE INDEX messages_cert ON messages (cert_sha256);
   CREATE INDEX messages_received ON messages (received_at);`,
]
