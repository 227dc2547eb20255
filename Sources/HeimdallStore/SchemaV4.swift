/// Schema version 4: every revocation, by whatever path (`heimdall-pki revoke`, another
/// hub, SQL by hand), sends `NOTIFY heimdall_revocation, '<serial>'` on COMMIT, so every
/// hub sharing the database can cut the certificate's live sessions at once.
/// (Version 3 is the enrollment-token table.)
enum SchemaV4 {
    /// The channel hubs `LISTEN` on.
    static let revocationChannel = "heimdall_revocation"

    static let migration = Migration(version: 4, name: "revocation notifications", statements: [
        """
        CREATE FUNCTION certificates_notify_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('\(revocationChannel)', NEW.serial);
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER certificates_revoked AFTER INSERT OR UPDATE OF status ON certificates
            FOR EACH ROW WHEN (NEW.status = 'revoked') EXECUTE FUNCTION certificates_notify_revocation()
        """,
    ])
}

extension CertificateRecords {
    /// The `LISTEN` channel on which the serial of each newly revoked certificate arrives.
    public static let revocationChannel = SchemaV4.revocationChannel
}
