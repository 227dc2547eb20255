/// Schema version 5: `events` partitioned by UTC day of `occurred_at`.
///
/// The old table is renamed, the partitioned one created under the old name with the same
/// columns, a partition made for every day holding old rows (up to two days ahead; later
/// ones and days before year 1 go to `events_default`), the rows moved, and the old table
/// dropped, all inside the migration's transaction. The dedupe key becomes
/// (`host_id`, `event_id`, `occurred_at`): PostgreSQL requires the partition key in every
/// unique index. Also: `status_snapshots_taken_at` for retention, and `retention_log`.
enum SchemaV5 {
    /// The function creating one day's partition (see ``EventPartitions``).
    static let partitionFunction = "heimdall_event_partition"

    static let migration = Migration(version: 5, name: "events partitioned by day", statements: [
        "ALTER TABLE events RENAME TO events_v4",
        "ALTER INDEX events_pkey RENAME TO events_v4_pkey",
        "ALTER INDEX events_occurred_at RENAME TO events_v4_occurred_at",
        "ALTER INDEX events_host_occurred_at RENAME TO events_v4_host_occurred_at",
        """
        CREATE TABLE events (
            host_id text NOT NULL,
            event_id text NOT NULL,
            occurred_at timestamptz NOT NULL,
            received_at timestamptz NOT NULL,
            category text NOT NULL,
            severity text NOT NULL,
            source text NOT NULL,
            message text NOT NULL,
            fields jsonb NOT NULL,
            raw text,
            cert_serial text NOT NULL,
            cert_fingerprint text NOT NULL,
            session_id uuid NOT NULL,
            PRIMARY KEY (host_id, event_id, occurred_at))
        PARTITION BY RANGE (occurred_at)
        """,
        "CREATE INDEX events_occurred_at ON events (occurred_at)",
        "CREATE INDEX events_host_occurred_at ON events (host_id, occurred_at)",
        "CREATE TABLE events_default PARTITION OF events DEFAULT",
        // Creates `events_YYYYMMDD` for `day` unless it exists; returns whether it did.
        // Rows of that day already in the default partition move into it first (ATTACH
        // refuses while the default holds rows of the new range); the default is locked
        // before, so no row of that day can slip in meanwhile. Concurrent callers are
        // serialized by the advisory lock and find the partition made.
        """
        CREATE FUNCTION \(partitionFunction)(day date) RETURNS boolean LANGUAGE plpgsql AS $$
        DECLARE
            name text := 'events_' || to_char(day, 'YYYYMMDD');
            lower timestamptz := day::timestamp AT TIME ZONE 'UTC';
            upper timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
        BEGIN
            IF to_regclass(quote_ident(name)) IS NOT NULL THEN RETURN false; END IF;
            PERFORM pg_advisory_xact_lock(\(EventPartitions.lockKey));
            -- Locking a table also makes this session see catalog changes committed while
            -- it waited (an advisory lock does not), so the check below finds a partition
            -- another caller just made.
            LOCK TABLE events_default IN ACCESS EXCLUSIVE MODE;
            IF to_regclass(quote_ident(name)) IS NOT NULL THEN RETURN false; END IF;
            EXECUTE format('CREATE TABLE %I (LIKE events)', name);
            EXECUTE format('WITH moved AS (DELETE FROM events_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) '
                           'INSERT INTO %I SELECT * FROM moved', name) USING lower, upper;
            EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lower, upper);
            RETURN true;
        END
        $$
        """,
        """
        SELECT \(partitionFunction)(day) FROM (
            SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date AS day FROM events_v4) AS days
        WHERE day BETWEEN '0001-01-01' AND (now() AT TIME ZONE 'UTC')::date + 2
        """,
        "INSERT INTO events (\(EventRowsInsert.eventColumns)) SELECT \(EventRowsInsert.eventColumns) FROM events_v4",
        "DROP TABLE events_v4",
        "CREATE INDEX status_snapshots_taken_at ON status_snapshots (taken_at)",
        """
        CREATE TABLE retention_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            hub_id text,
            retention_days integer NOT NULL,
            cutoff timestamptz NOT NULL,
            table_name text NOT NULL,
            dropped_partitions text[] NOT NULL,
            deleted_rows bigint NOT NULL)
        """,
    ])
}
