package org.decency.core;

/**
 * What is known about the SMTP client: its address and names, HELO, protocol and
 * the SASL and TLS facts. Empty strings stand for "not given". The client address is
 * parsed once, here: several checks ask for it on every request.
 */
public final class Connection {
    private final String clientAddress;
    private final String clientName;
    private final String reverseClientName;
    private final String helo;
    private final String protocol;
    private final String saslMethod;
    private final String saslUsername;
    private final String saslSender;
    private final String ccertSubject;
    private final String ccertIssuer;
    private final String ccertFingerprint;
    private final String encryptionProtocol;
    private final String encryptionCipher;
    private final IpAddress ip;

    public Connection(String clientAddress, String clientName, String reverseClientName, String helo, String protocol,
                      String saslMethod, String saslUsername, String saslSender, String ccertSubject,
                      String ccertIssuer, String ccertFingerprint, String encryptionProtocol, String encryptionCipher) {
        this.clientAddress = nz(clientAddress);
        this.clientName = nz(clientName);
        this.reverseClientName = nz(reverseClientName);
        this.helo = nz(helo);
        this.protocol = nz(protocol);
        this.saslMethod = nz(saslMethod);
        this.saslUsername = nz(saslUsername);
        this.saslSender = nz(saslSender);
        this.ccertSubject = nz(ccertSubject);
        this.ccertIssuer = nz(ccertIssuer);
        this.ccertFingerprint = nz(ccertFingerprint);
        this.encryptionProtocol = nz(encryptionProtocol);
        this.encryptionCipher = nz(encryptionCipher);
        this.ip = IpAddress.parse(this.clientAddress).orElse(null);
    }

    public static Connection of(String clientAddress, String clientName, String helo) {
        return new Connection(clientAddress, clientName, clientName, helo, "ESMTP", "", "", "", "", "", "", "", "");
    }

    /** The client's address as parsed IP, or null when Postfix sent none or garbage. */
    public IpAddress ip() {
        return ip;
    }

    /** True for 127.0.0.0/8 and ::1: mail the local machine submits. */
    public boolean isLocal() {
        return ip != null && ip.isLoopback();
    }

    public String clientAddress() { return clientAddress; }

    public String clientName() { return clientName; }

    public String reverseClientName() { return reverseClientName; }

    public String helo() { return helo; }

    public String protocol() { return protocol; }

    public String saslMethod() { return saslMethod; }

    public String saslUsername() { return saslUsername; }

    public String saslSender() { return saslSender; }

    public String ccertSubject() { return ccertSubject; }

    public String ccertIssuer() { return ccertIssuer; }

    public String ccertFingerprint() { return ccertFingerprint; }

    public String encryptionProtocol() { return encryptionProtocol; }

    public String encryptionCipher() { return encryptionCipher; }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    private Object[] fields() {
        return new Object[] {clientAddress, clientName, reverseClientName, helo, protocol, saslMethod, saslUsername,
                saslSender, ccertSubject, ccertIssuer, ccertFingerprint, encryptionProtocol, encryptionCipher};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connection c && java.util.Arrays.equals(fields(), c.fields());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(fields());
    }

    @Override
    public String toString() {
        return "Connection[client=" + clientName + "[" + clientAddress + "], helo=" + helo + ", protocol=" + protocol
                + (saslUsername.isEmpty() ? "" : ", sasl=" + saslUsername) + "]";
    }
}
