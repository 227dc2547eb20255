/// Schema version 2: the append-only PKI audit log (cli.md: "Every PKI operation is written
/// to an append-only audit log"). A trigger refuses UPDATE, DELETE and TRUNCATE.
enum SchemaV2 {
    static let migration = Migration(version: 2, name: "pki audit log", statements: [
        """
        CREATE TABLE pki_audit (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            actor text NOT NULL,
            action text NOT NULL,
            host_id text,
            serial text,
            outcome text NOT NULL,
            detail text)
        """,
        """
        CREATE FUNCTION pki_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'pki_audit is append-only: % refused', TG_OP;
        END
        $$
        """,
        """
        CREATE TRIGGER pki_audit_append_only BEFORE UPDATE OR DELETE ON pki_audit
            FOR EACH ROW EXECUTE FUNCTION pki_audit_refuse_change()
        """,
        """
        CREATE TRIGGER pki_audit_no_truncate BEFORE TRUNCATE ON pki_audit
            FOR EACH STATEMENT EXECUTE FUNCTION pki_audit_refuse_change()
        """,
    ])
}
