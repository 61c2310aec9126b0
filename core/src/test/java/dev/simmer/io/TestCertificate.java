package dev.simmer.io;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A self-signed certificate for localhost (made with the JDK's keytool, valid two days) and the
 * TLS contexts of the tests around it: a server that presents it, a client that trusts it.
 *
 * @param certificate the certificate
 * @param server      presents the certificate
 * @param client      trusts the certificate (and nothing else)
 */
record TestCertificate(Certificate certificate, SSLContext server, SSLContext client) {
    private static final char[] PASSWORD = "simmer-test".toCharArray();

    /** Makes the certificate in a key store under {@code dir}, which the caller cleans up. */
    static TestCertificate make(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "simmer", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
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
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        Certificate certificate = keys.getCertificate("simmer");
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trustManagersOf(certificate), null);
        return new TestCertificate(certificate, server, client);
    }

    /** Trust managers that trust {@code certificate} only. */
    static javax.net.ssl.TrustManager[] trustManagersOf(Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("simmer", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf.getTrustManagers();
    }
}
