package org.decency.defender.milter;

/**
 * One milter packet as framed on the wire: the command byte and its data (the length
 * word counts both).
 */
public record Packet(byte command, byte[] data) {

    public Packet {
        data = data == null ? new byte[0] : data;
    }
}
