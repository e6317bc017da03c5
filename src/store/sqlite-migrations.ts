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
  // 2: the users and packages of each message's summary (src/meta), for `--user`/`--package` and datagrepper's
  // `user=`/`package=`. Join tables keyed by name first, so a lookup is an index range; rows go with their
  // message (foreign_keys is on).
  `CREATE TABLE message_users (
     name TEXT NOT NULL,
     message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
     PRIMARY KEY (name, message_id)
   ) WITHOUT ROWID;
   CREATE INDEX message_users_message ON message_users (message_id);
   CREATE TABLE message_packages (
     name TEXT NOT NULL,
     message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
     PRIMARY KEY (name, message_id)
   ) WITHOUT ROWID;
   CREATE INDEX message_packages_message ON message_packages (message_id);`,
]
