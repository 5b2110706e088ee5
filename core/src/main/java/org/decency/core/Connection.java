package org.decency.core;

/**
 * What is known about the SMTP client: its address and names, HELO, protocol and
 * the SASL and TLS facts. Empty strings stand for "not given".
 */
public record Connection(
        String clientAddress,
        String clientName,
        String reverseClientName,
        String helo,
        String protocol,
        String saslMethod,
        String saslUsername,
        String saslSender,
        String ccertSubject,
        String ccertIssuer,
        String ccertFingerprint,
        String encryptionProtocol,
        String encryptionCipher) {

    public Connection {
        clientAddress = nz(clientAddress);
        clientName = nz(clientName);
        reverseClientName = nz(reverseClientName);
        helo = nz(helo);
        protocol = nz(protocol);
        saslMethod = nz(saslMethod);
        saslUsername = nz(saslUsername);
        saslSender = nz(saslSender);
        ccertSubject = nz(ccertSubject);
        ccertIssuer = nz(ccertIssuer);
        ccertFingerprint = nz(ccertFingerprint);
        encryptionProtocol = nz(encryptionProtocol);
        encryptionCipher = nz(encryptionCipher);
    }

    public static Connection of(String clientAddress, String clientName, String helo) {
        return new Connection(clientAddress, clientName, clientName, helo, "ESMTP", "", "", "", "", "", "", "", "");
    }

    /** The client's address as parsed IP, or null when Postfix sent none or garbage. */
    public IpAddress ip() {
        return IpAddress.parse(clientAddress).orElse(null);
    }

    /** True for 127.0.0.0/8 and ::1: mail the local machine submits. */
    public boolean isLocal() {
        IpAddress ip = ip();
        return ip != null && ip.isLoopback();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
