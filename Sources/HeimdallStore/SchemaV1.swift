/// Schema version 1. Table and column names are a public contract: add, never rename.
enum SchemaV1 {
    static let migration = Migration(version: 1, name: "initial schema", statements: [
        """
        CREATE TABLE certificates (
            serial text PRIMARY KEY,
            host_id text NOT NULL,
            fingerprint text NOT NULL UNIQUE,
            not_before timestamptz NOT NULL,
            not_after timestamptz NOT NULL,
            status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'superseded', 'revoked')),
            issued_at timestamptz NOT NULL DEFAULT now(),
            revoked_at timestamptz,
            revocation_reason text,
            pem text NOT NULL,
            last_seen timestamptz,
            last_address text)
        """,
        "CREATE INDEX certificates_host_id ON certificates (host_id)",
        """
        CREATE TABLE hosts (
            host_id text PRIMARY KEY,
            status text NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'stale', 'offline')),
            last_heartbeat timestamptz,
            last_seen timestamptz,
            first_seen timestamptz NOT NULL DEFAULT now(),
            status_changed_at timestamptz,
            session_id uuid,
            cert_serial text,
            cert_fingerprint text,
            remote_address text,
            agent_version text,
            agent_os text,
            agent_arch text,
            agent_hostname text,
            spool_pending_events bigint,
            spool_oldest_pending timestamptz,
            spool_dropped_total bigint)
        """,
        """
        CREATE TABLE host_status_changes (
            id bigserial PRIMARY KEY,
            host_id text NOT NULL,
            from_status text,
            to_status text NOT NULL,
            changed_at timestamptz NOT NULL DEFAULT now(),
            reason text)
        """,
        "CREATE INDEX host_status_changes_host_id ON host_status_changes (host_id, changed_at)",
        """
        CREATE TABLE sessions (
            session_id uuid PRIMARY KEY,
            host_id text NOT NULL,
            cert_serial text NOT NULL,
            cert_fingerprint text NOT NULL,
            remote_address text,
            hub_id text,
            protocol int,
            agent_version text,
            started_at timestamptz NOT NULL DEFAULT now(),
            ended_at timestamptz,
            end_reason text,
            frames_received bigint NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX sessions_open ON sessions (hub_id) WHERE ended_at IS NULL",
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
            PRIMARY KEY (host_id, event_id))
        """,
        "CREATE INDEX events_occurred_at ON events (occurred_at)",
        "CREATE INDEX events_host_occurred_at ON events (host_id, occurred_at)",
        """
        CREATE TABLE status_snapshots (
            host_id text NOT NULL,
            taken_at timestamptz NOT NULL,
            received_at timestamptz NOT NULL,
            metrics jsonb NOT NULL,
            cert_serial text NOT NULL,
            cert_fingerprint text NOT NULL,
            session_id uuid NOT NULL,
            PRIMARY KEY (host_id, taken_at))
        """,
    ])
}
