#include "CHeimdallOpenSSL.h"

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <pthread.h>
#include <string.h>

// MARK: - Macro wrappers

int heimdall_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

int heimdall_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

long heimdall_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

uint64_t heimdall_SSL_CTX_set_options(SSL_CTX *ctx, uint64_t options) {
    return SSL_CTX_set_options(ctx, options);
}

int heimdall_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

long heimdall_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

size_t heimdall_BIO_pending(BIO *bio) {
    return BIO_pending(bio);
}

long heimdall_BIO_set_mem_eof_return(BIO *bio, long value) {
    return BIO_set_mem_eof_return(bio, value);
}

void heimdall_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

int heimdall_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

X509 *heimdall_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

STACK_OF(X509) *heimdall_sk_X509_new_null(void) {
    return sk_X509_new_null();
}

int heimdall_sk_X509_push(STACK_OF(X509) *stack, X509 *cert) {
    return sk_X509_push(stack, cert);
}

void heimdall_sk_X509_free(STACK_OF(X509) *stack) {
    sk_X509_free(stack);
}

int heimdall_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

GENERAL_NAME *heimdall_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int index) {
    return sk_GENERAL_NAME_value(names, index);
}

int heimdall_ERR_GET_REASON(unsigned long error) {
    return ERR_GET_REASON(error);
}

// MARK: - Constants

long heimdall_SSL_MODE_RELEASE_BUFFERS(void) {
    return SSL_MODE_RELEASE_BUFFERS;
}

uint64_t heimdall_SSL_OP_SECURE_DEFAULTS(void) {
    return SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE;
}

void heimdall_SSL_CTX_disable_resumption(SSL_CTX *ctx) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
}

// MARK: - Helpers

int heimdall_general_name_type(const GENERAL_NAME *name) {
    return name->type;
}

const ASN1_STRING *heimdall_general_name_string(const GENERAL_NAME *name) {
    switch (name->type) {
    case GEN_DNS:
        return name->d.dNSName;
    case GEN_IPADD:
        return name->d.iPAddress;
    default:
        return NULL;
    }
}

EVP_PKEY *heimdall_generate_p256_key(void) {
    return EVP_EC_gen("P-256");
}

int heimdall_x509_add_extension(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
    if (ext == NULL) {
        return 0;
    }
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

int heimdall_x509_name_add_common_name(X509_NAME *name, const char *common_name) {
    return X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                      (const unsigned char *)common_name, -1, -1, 0);
}

typedef struct {
    const unsigned char *wire;
    unsigned int length;
} heimdall_alpn_list;

static int heimdall_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    const heimdall_alpn_list *list = arg;
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, list->wire, list->length, in, inlen)
        != OPENSSL_NPN_NEGOTIATED) {
        // The client offered ALPN but none of ours: no_application_protocol alert.
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

static void heimdall_alpn_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp) {
    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    OPENSSL_free(ptr);
}

static int heimdall_alpn_index = -1;
static int heimdall_ctx_index = -1;
static pthread_once_t heimdall_index_once = PTHREAD_ONCE_INIT;

static void heimdall_make_indexes(void) {
    heimdall_alpn_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, heimdall_alpn_free);
    heimdall_ctx_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

void heimdall_SSL_CTX_set_alpn_server(SSL_CTX *ctx, const unsigned char *wire, unsigned int length) {
    pthread_once(&heimdall_index_once, heimdall_make_indexes);
    heimdall_alpn_list *list = OPENSSL_malloc(sizeof(heimdall_alpn_list) + length);
    if (list == NULL) {
        return;
    }
    unsigned char *copy = (unsigned char *)(list + 1);
    memcpy(copy, wire, length);
    list->wire = copy;
    list->length = length;
    // The ex_data free callback releases the copy together with the context.
    SSL_CTX_set_ex_data(ctx, heimdall_alpn_index, list);
    SSL_CTX_set_alpn_select_cb(ctx, heimdall_alpn_select, list);
}

int heimdall_SSL_CTX_ex_data_index(void) {
    pthread_once(&heimdall_index_once, heimdall_make_indexes);
    return heimdall_ctx_index;
}

SSL *heimdall_ssl_from_store_context(X509_STORE_CTX *store) {
    return X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
}

static int heimdall_ssl_index = -1;
static pthread_once_t heimdall_ssl_index_once = PTHREAD_ONCE_INIT;

static void heimdall_make_ssl_index(void) {
    heimdall_ssl_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

int heimdall_SSL_ex_data_index(void) {
    pthread_once(&heimdall_ssl_index_once, heimdall_make_ssl_index);
    return heimdall_ssl_index;
}

// MARK: - TLS 1.3 session tickets

typedef struct {
    unsigned char name[16];
    unsigned char aes[32];
    unsigned char hmac[32];
} heimdall_ticket_key;

typedef struct {
    pthread_rwlock_t lock;
    size_t count;
    heimdall_ticket_key keys[HEIMDALL_MAX_TICKET_KEYS];
} heimdall_ticket_keyring;

static int heimdall_keyring_index = -1;
static pthread_once_t heimdall_keyring_once = PTHREAD_ONCE_INIT;

static void heimdall_keyring_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp) {
    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    heimdall_ticket_keyring *ring = ptr;
    if (ring == NULL) {
        return;
    }
    pthread_rwlock_destroy(&ring->lock);
    OPENSSL_clear_free(ring, sizeof(*ring));
}

static void heimdall_make_keyring_index(void) {
    heimdall_keyring_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, heimdall_keyring_free);
}

static heimdall_ticket_keyring *heimdall_keyring(SSL_CTX *ctx) {
    pthread_once(&heimdall_keyring_once, heimdall_make_keyring_index);
    return SSL_CTX_get_ex_data(ctx, heimdall_keyring_index);
}

static int heimdall_ticket_mac(EVP_MAC_CTX *hctx, const unsigned char *key) {
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_init(hctx, key, 32, params);
}

/// Encrypts with the newest key; decrypts with whichever key the ticket names. Returns 2
/// (decrypted, please renew) for an older key, 1 otherwise, 0 for "no such key", -1 on error.
static int heimdall_ticket_key_callback(SSL *ssl, unsigned char *name, unsigned char *iv,
                                        EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx, int encrypt) {
    heimdall_ticket_keyring *ring = heimdall_keyring(SSL_get_SSL_CTX(ssl));
    if (ring == NULL) {
        return 0;
    }
    int result = 0;
    pthread_rwlock_rdlock(&ring->lock);
    if (encrypt) {
        if (ring->count > 0) {
            const heimdall_ticket_key *key = &ring->keys[0];
            memcpy(name, key->name, sizeof(key->name));
            int ivLength = EVP_CIPHER_get_iv_length(EVP_aes_256_cbc());
            result = RAND_bytes(iv, ivLength) == 1
                && EVP_EncryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, key->aes, iv) == 1
                && heimdall_ticket_mac(hctx, key->hmac) == 1 ? 1 : -1;
        }
    } else {
        for (size_t index = 0; index < ring->count; index++) {
            const heimdall_ticket_key *key = &ring->keys[index];
            if (memcmp(name, key->name, sizeof(key->name)) != 0) {
                continue;
            }
            result = EVP_DecryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, key->aes, iv) == 1
                && heimdall_ticket_mac(hctx, key->hmac) == 1 ? (index == 0 ? 1 : 2) : -1;
            break;
        }
    }
    pthread_rwlock_unlock(&ring->lock);
    return result;
}

int heimdall_SSL_CTX_enable_tickets(SSL_CTX *ctx, long lifetime_seconds, const unsigned char *sid_ctx, unsigned int sid_ctx_length) {
    pthread_once(&heimdall_keyring_once, heimdall_make_keyring_index);
    heimdall_ticket_keyring *ring = OPENSSL_zalloc(sizeof(heimdall_ticket_keyring));
    if (ring == NULL) {
        return 0;
    }
    if (pthread_rwlock_init(&ring->lock, NULL) != 0) {
        OPENSSL_free(ring);
        return 0;
    }
    // The ex_data free callback releases the keyring together with the context.
    if (SSL_CTX_set_ex_data(ctx, heimdall_keyring_index, ring) != 1) {
        heimdall_keyring_free(NULL, ring, NULL, 0, 0, NULL);
        return 0;
    }
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
    (void)SSL_CTX_set_timeout(ctx, lifetime_seconds);
    return SSL_CTX_set_num_tickets(ctx, 1) == 1
        && SSL_CTX_set_session_id_context(ctx, sid_ctx, sid_ctx_length) == 1
        && SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, heimdall_ticket_key_callback) == 1 ? 1 : 0;
}

int heimdall_SSL_CTX_set_ticket_keys(SSL_CTX *ctx, const unsigned char *keys, size_t count) {
    heimdall_ticket_keyring *ring = heimdall_keyring(ctx);
    if (ring == NULL || count > HEIMDALL_MAX_TICKET_KEYS) {
        return 0;
    }
    pthread_rwlock_wrlock(&ring->lock);
    for (size_t index = 0; index < count; index++) {
        const unsigned char *source = keys + index * HEIMDALL_TICKET_KEY_LENGTH;
        memcpy(ring->keys[index].name, source, 16);
        memcpy(ring->keys[index].aes, source + 16, 32);
        memcpy(ring->keys[index].hmac, source + 48, 32);
    }
    OPENSSL_cleanse(ring->keys + count, (HEIMDALL_MAX_TICKET_KEYS - count) * sizeof(heimdall_ticket_key));
    ring->count = count;
    pthread_rwlock_unlock(&ring->lock);
    return 1;
}

void heimdall_SSL_CTX_enable_client_sessions(SSL_CTX *ctx, int (*callback)(SSL *, SSL_SESSION *)) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, callback);
}
