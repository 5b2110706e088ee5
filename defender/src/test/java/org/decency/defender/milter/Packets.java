package org.decency.defender.milter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds milter packets byte by byte, as an MTA (or a hostile peer) would send them. */
final class Packets {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A packet whose length word is right. */
    Packets packet(char command, byte[] data) {
        int n = data.length + 1;
        int32(n);
        out.write(command);
        out.writeBytes(data);
        return this;
    }

    Packets packet(char command, String... cstrings) {
        return packet(command, cstrings(cstrings));
    }

    /** Raw bytes, for lying lengths and garbage. */
    Packets raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    Packets int32(int v) {
        out.writeBytes(int32bytes(v));
        return this;
    }

    Packets optneg(int version, int actions, int protocol) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(int32bytes(version));
        d.writeBytes(int32bytes(actions));
        d.writeBytes(int32bytes(protocol));
        return packet('O', d.toByteArray());
    }

    Packets connect(String host, char family, int port, String address) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.writeBytes(cstrings(host));
        d.write(family);
        d.write(port >>> 8);
        d.write(port);
        d.writeBytes(cstrings(address));
        return packet('C', d.toByteArray());
    }

    Packets macro(char forCommand, String... namesAndValues) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.write(forCommand);
        d.writeBytes(cstrings(namesAndValues));
        return packet('D', d.toByteArray());
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] int32bytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] cstrings(String... s) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        for (String x : s) {
            d.writeBytes(x.getBytes(StandardCharsets.ISO_8859_1));
            d.write(0);
        }
        return d.toByteArray();
    }
}
