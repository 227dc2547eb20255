/// Schema version 3: one-time enrollment tokens. Only the SHA-256 of a token's secret is
/// kept; a token is consumed by one atomic UPDATE (see ``EnrollmentTokenRecords``).
enum SchemaV3 {
    static let migration = Migration(version: 3, name: "enrollment tokens", statements: [
        """
        CREATE TABLE enrollment_tokens (
            id text PRIMARY KEY,
            secret_sha256 text NOT NULL,
            host_id text NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            used_at timestamptz,
            used_by text,
            certificate_serial text,
            cancelled_at timestamptz)
        """,
        "CREATE INDEX enrollment_tokens_pending ON enrollment_tokens (expires_at) WHERE used_at IS NULL AND cancelled_at IS NULL",
    ])
}
