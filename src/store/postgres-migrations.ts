/**
 * The PostgreSQL schema, one numbered migration per entry, recorded in `fedmsg_schema`. Append only.
 *
 * `messages` is partitioned by month of the message timestamp (see monthPartition), so a topic+time query
 * reads only the months it spans and retention drops whole months. A unique index of a partitioned table
 * must include the partition key, so msg_id uniqueness lives in the unpartitioned `message_ids`, written
 * in the same transaction as the row.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE message_ids (msg_id TEXT PRIMARY KEY, timestamp BIGINT NOT NULL);
   CREATE INDEX message_ids_time ON message_ids (timestamp);
   CREATE SEQUENCE messages_id_seq AS BIGINT;
   CREATE TABLE messages (
     id BIGINT NOT NULL DEFAULT nextval('messages_id_seq'),
     msg_id TEXT NOT NULL,
     topic TEXT NOT NULL,
     signer TEXT NOT NULL,
     timestamp BIGINT NOT NULL,
     i BIGINT NOT NULL,
     cert_sha256 TEXT NOT NULL,
     received_at BIGINT NOT NULL,
     envelope TEXT NOT NULL,
     PRIMARY KEY (timestamp, id)
   ) PARTITION BY RANGE (timestamp);
   CREATE INDEX messages_msg_id ON messages (msg_id);
   CREATE INDEX messages_topic_time ON messages (topic, timestamp, id);
   CREATE INDEX messages_signer_i ON messages (signer, i);
   CREATE INDEX messages_cert ON messages (cert_sha256);
   CREATE INDEX messages_received ON messages (received_at);`,
  // 2: the users and packages of each message's summary (src/meta), for `--user`/`--package` and datagrepper's
  // `user=`/`package=`: array columns with GIN indexes (`users && $1` is an index lookup), on every partition.
  `ALTER TABLE messages ADD COLUMN users TEXT[] NOT NULL DEFAULT '{}';
   ALTER TABLE messages ADD COLUMN packages TEXT[] NOT NULL DEFAULT '{}';
   CREATE INDEX messages_users ON messages USING GIN (users);
   CREATE INDEX messages_packages ON messages USING GIN (packages);`,
]

/** The monthly partition holding `timestamp` (ms): its table name and [from, to) bounds in ms. */
export function monthPartition(timestamp: number): { name: string; from: number; to: number } {
  const date = new Date(timestamp)
  const year = date.getUTCFullYear()
  const month = date.getUTCMonth()
  return {
    name: `messages_y${year}m${String(month + 1).padStart(2, '0')}`,
    from: Date.UTC(year, month, 1),
    to: Date.UTC(year, month + 1, 1),
  }
}
