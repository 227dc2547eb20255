#include "CHeimdallOpenSSL.h"

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
