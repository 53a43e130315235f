package org.brandequity.http.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.brandequity.config.PipelineConfig.Store;

/**
 * {@link SSLContext}s from the key and trust stores of the config, through the JDK's own factories.
 * Errors name the config key and the file, never the password.
 */
public final class Tls {
    private Tls() {}

    /** Trusts the certificates in {@code truststore} (set in config under {@code key}) and nothing else. */
    public static SSLContext trusting(Store truststore, String key) {
        return context(null, load(truststore, key), key);
    }

    /** Presents the key in {@code keystore}; trusts {@code truststore}, or the keystore's own certificates when it is unset. */
    public static SSLContext serving(Store keystore, String keystoreKey, Store truststore, String truststoreKey) {
        KeyStore keys = load(keystore, keystoreKey);
        KeyStore trusted = truststore.isSet() ? load(truststore, truststoreKey) : certificatesOf(keys, keystoreKey);
        return context(keys, trusted, keystoreKey, keystore.password().value().toCharArray());
    }

    private static SSLContext context(KeyStore keys, KeyStore trusted, String key, char... keyPassword) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory kmf = null;
            if (keys != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, keyPassword);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Invalid config: cannot use the store of " + key + ": " + e.getMessage(), e);
        }
    }

    /** The store's file read with its password; a wrong password or format is one line naming the key and file. */
    static KeyStore load(Store store, String key) {
        try (InputStream in = Files.newInputStream(Path.of(store.location()))) {
            KeyStore ks = KeyStore.getInstance(store.type());
            ks.load(in, store.password().value().toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            Throwable cause = e.getCause() instanceof java.security.UnrecoverableKeyException ? e.getCause() : e;
            throw new IllegalArgumentException("Invalid config: cannot read " + store.type() + " store " + store.location()
                    + " (" + key + "): " + cause.getMessage() + " (wrong password or type?)", e);
        }
    }

    /** A trust store holding the certificates of {@code keys}: instances sharing one certificate trust each other. */
    private static KeyStore certificatesOf(KeyStore keys, String key) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (String alias : Collections.list(keys.aliases())) {
                java.security.cert.Certificate[] chain = keys.getCertificateChain(alias);
                if (chain != null) {
                    for (int i = 0; i < chain.length; i++) trusted.setCertificateEntry(alias + "-" + i, chain[i]);
                } else if (keys.getCertificate(alias) != null) {
                    trusted.setCertificateEntry(alias, keys.getCertificate(alias));
                }
            }
            return trusted;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Invalid config: cannot read the certificates of " + key + ": " + e.getMessage(), e);
        }
    }
}
