#ifndef C_HEIMDALL_OPENSSL_H
#define C_HEIMDALL_OPENSSL_H

// MARK: - Includes (system OpenSSL 3.0)

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/ec.h>
#include <openssl/asn1.h>

// MARK: - Macro wrappers (Swift cannot expand C macros)

int heimdall_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
int heimdall_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);
long heimdall_SSL_CTX_set_mode(SSL_CTX *ctx, long mode);
uint64_t heimdall_SSL_CTX_set_options(SSL_CTX *ctx, uint64_t options);
int heimdall_SSL_set_tlsext_host_name(SSL *ssl, const char *name);
long heimdall_BIO_get_mem_data(BIO *bio, char **data);
size_t heimdall_BIO_pending(BIO *bio);
long heimdall_BIO_set_mem_eof_return(BIO *bio, long value);
void heimdall_OPENSSL_free(void *pointer);
int heimdall_sk_X509_num(const STACK_OF(X509) *stack);
X509 *heimdall_sk_X509_value(const STACK_OF(X509) *stack, int index);
STACK_OF(X509) *heimdall_sk_X509_new_null(void);
int heimdall_sk_X509_push(STACK_OF(X509) *stack, X509 *cert);
void heimdall_sk_X509_free(STACK_OF(X509) *stack);
int heimdall_sk_GENERAL_NAME_num(const GENERAL_NAMES *names);
GENERAL_NAME *heimdall_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int index);
int heimdall_ERR_GET_REASON(unsigned long error);

// MARK: - Option and mode constants (composite macros)

/// SSL_MODE_RELEASE_BUFFERS.
long heimdall_SSL_MODE_RELEASE_BUFFERS(void);
/// SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE.
uint64_t heimdall_SSL_OP_SECURE_DEFAULTS(void);

/// Turns off session resumption on a server (no tickets, no session cache), so every
/// connection runs full client-certificate verification, revocation check included.
void heimdall_SSL_CTX_disable_resumption(SSL_CTX *ctx);

// MARK: - Helpers that need C (unions, variadic functions, callbacks)

/// The general name's type (GEN_DNS, GEN_IPADD, ...).
int heimdall_general_name_type(const GENERAL_NAME *name);
/// The IA5String of a GEN_DNS name or the octet string of a GEN_IPADD name; NULL otherwise.
const ASN1_STRING *heimdall_general_name_string(const GENERAL_NAME *name);

/// A fresh EC P-256 key pair, or NULL.
EVP_PKEY *heimdall_generate_p256_key(void);

/// Adds a v3 extension given in openssl.cnf syntax (e.g. "critical,CA:TRUE").
/// `issuer` may equal `cert` for a self-signed certificate. Returns 1 on success.
int heimdall_x509_add_extension(X509 *cert, X509 *issuer, int nid, const char *value);

/// Adds CN=`common_name` (UTF-8) to `name`. Returns 1 on success.
int heimdall_x509_name_add_common_name(X509_NAME *name, const char *common_name);

/// Installs a server ALPN select callback refusing clients that offer ALPN without one of
/// the protocols in `wire` (ALPN wire format). `wire` must outlive the context.
void heimdall_SSL_CTX_set_alpn_server(SSL_CTX *ctx, const unsigned char *wire, unsigned int length);

/// A process-wide SSL_CTX ex_data index for Heimdall's own context data.
int heimdall_SSL_CTX_ex_data_index(void);

/// The SSL that owns the X509 store context during verification.
SSL *heimdall_ssl_from_store_context(X509_STORE_CTX *store);

/// A process-wide SSL ex_data index for Heimdall's per-connection data.
int heimdall_SSL_ex_data_index(void);

// MARK: - TLS 1.3 session tickets

/// Bytes of one ticket key: a 16-byte name, a 32-byte AES-256-CBC key, a 32-byte HMAC-SHA256 key.
#define HEIMDALL_TICKET_KEY_LENGTH 80
/// The most ticket keys a context holds at once (one encrypts, the others only decrypt).
#define HEIMDALL_MAX_TICKET_KEYS 8

/// Turns on stateless TLS 1.3 session tickets on a server: one ticket per handshake,
/// encrypted with the keys given to heimdall_SSL_CTX_set_ticket_keys (none yet: no ticket
/// is issued and none decrypts), valid for `lifetime_seconds`; no server-side session
/// cache. `sid_ctx` (at most 32 bytes) names what tickets are valid for. Returns 1 on success.
int heimdall_SSL_CTX_enable_tickets(SSL_CTX *ctx, long lifetime_seconds, const unsigned char *sid_ctx, unsigned int sid_ctx_length);

/// Replaces the ticket keys: `count` keys of HEIMDALL_TICKET_KEY_LENGTH bytes, newest
/// first. The newest encrypts new tickets; all of them decrypt. Thread-safe (a lock
/// guards the keys against handshakes running on other threads). Returns 1 on success.
int heimdall_SSL_CTX_set_ticket_keys(SSL_CTX *ctx, const unsigned char *keys, size_t count);

/// Client side: sessions are handed to `callback` when the server sends a ticket (no
/// internal cache). The callback returns 1 when it keeps the session's reference.
void heimdall_SSL_CTX_enable_client_sessions(SSL_CTX *ctx, int (*callback)(SSL *, SSL_SESSION *));

#endif
