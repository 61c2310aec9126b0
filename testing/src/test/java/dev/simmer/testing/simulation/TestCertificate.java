package dev.simmer.testing.simulation;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-signed certificate for the simulated host named {@code server} (made with the JDK's
 * keytool, valid two days), and fresh TLS contexts around it: a server that presents it, a
 * client that trusts it.
 *
 * @param keys the server's key managers
 * @param trust trust managers that trust the certificate only
 */
record TestCertificate(KeyManager[] keys, TrustManager[] trust) {
    private static final char[] PASSWORD = "simmer-test".toCharArray();

    /** Makes the certificate, with a key of {@code keyAlgorithm} ("Ed25519", "EC", "RSA"), under {@code dir}. */
    static TestCertificate make(Path dir, String keyAlgorithm) throws Exception {
        Path store = dir.resolve("server-" + keyAlgorithm + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "simmer", "-keyalg", keyAlgorithm, "-validity", "2",
                "-dname", "CN=server", "-ext", "SAN=dns:server,dns:localhost",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("simmer", keys.getCertificate("simmer"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        return new TestCertificate(kmf.getKeyManagers(), tmf.getTrustManagers());
    }

    /** A new server context presenting the certificate, drawing from {@code random}. */
    SSLContext server(SecureRandom random) throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(keys, null, random);
        return c;
    }

    /** A new client context trusting the certificate only, drawing from {@code random}. */
    SSLContext client(SecureRandom random) throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, trust, random);
        return c;
    }
}
