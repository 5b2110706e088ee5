package org.decency.checks.geoweight;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.decency.core.Cidr;
import org.decency.core.IpAddress;

/**
 * Writes small IPv4-only MaxMind DB files for tests, so the record layouts of databases
 * we cannot download here (GeoLite2, DB-IP: {@code country.iso_code},
 * {@code registered_country}) are read through the real reader. Values are strings,
 * maps of them, and unsigned numbers; just enough of the format
 * (https://maxmind.github.io/MaxMind-DB/) for that.
 */
final class TinyMmdb {
    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
            'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
    private static final int EMPTY = -1;

    private final String databaseType;
    private final Map<String, Map<String, Object>> networks = new LinkedHashMap<>();

    TinyMmdb(String databaseType) {
        this.databaseType = databaseType;
    }

    /** Maps the IPv4 network {@code cidr} (e.g. {@code 8.0.0.0/8}) to {@code record}. */
    TinyMmdb put(String cidr, Map<String, Object> record) {
        networks.put(cidr, record);
        return this;
    }

    Path write(Path file) throws IOException {
        List<int[]> nodes = new ArrayList<>();
        nodes.add(new int[] {EMPTY, EMPTY});
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<Integer> dataOffsets = new ArrayList<>();
        for (var e : networks.entrySet()) {
            Cidr c = Cidr.parse(e.getKey()).orElseThrow();
            byte[] bits = c.base().bytes();
            if (bits.length != 4) throw new IllegalArgumentException("IPv4 only: " + e.getKey());
            dataOffsets.add(data.size());
            encode(e.getValue(), data);
            int dataRef = -2 - (dataOffsets.size() - 1); // -2, -3...: data items, told apart from node indexes
            int node = 0;
            for (int i = 0; i < c.prefix(); i++) {
                int bit = (bits[i / 8] >> (7 - i % 8)) & 1;
                if (i == c.prefix() - 1) {
                    nodes.get(node)[bit] = dataRef;
                } else {
                    if (nodes.get(node)[bit] == EMPTY) {
                        nodes.add(new int[] {EMPTY, EMPTY});
                        nodes.get(node)[bit] = nodes.size() - 1;
                    }
                    node = nodes.get(node)[bit];
                }
            }
        }
        int nodeCount = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] n : nodes) {
            for (int r : n) {
                long v = r == EMPTY ? nodeCount : r >= 0 ? r : nodeCount + 16L + dataOffsets.get(-2 - r);
                out.write((int) (v >> 16));
                out.write((int) (v >> 8));
                out.write((int) v);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(METADATA_MARKER);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("binary_format_major_version", new U16(2));
        meta.put("binary_format_minor_version", new U16(0));
        meta.put("build_epoch", new U64(1_700_000_000L));
        meta.put("database_type", databaseType);
        meta.put("description", Map.of("en", "decency test database"));
        meta.put("ip_version", new U16(4));
        meta.put("languages", List.of("en"));
        meta.put("node_count", new U32(nodeCount));
        meta.put("record_size", new U16(24));
        encode(meta, out);
        return Files.write(file, out.toByteArray());
    }

    record U16(int value) {}

    record U32(long value) {}

    record U64(long value) {}

    private static void encode(Object value, ByteArrayOutputStream out) {
        switch (value) {
            case String s -> {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                control(2, b.length, out);
                out.writeBytes(b);
            }
            case Map<?, ?> m -> {
                control(7, m.size(), out);
                for (var e : m.entrySet()) {
                    encode((String) e.getKey(), out);
                    encode(e.getValue(), out);
                }
            }
            case List<?> l -> {
                control(11, l.size(), out);
                for (Object o : l) encode(o, out);
            }
            case U16 u -> unsigned(5, u.value(), out);
            case U32 u -> unsigned(6, u.value(), out);
            case U64 u -> unsigned(9, u.value(), out);
            default -> throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    private static void unsigned(int type, long v, ByteArrayOutputStream out) {
        int size = 0;
        for (long x = v; x != 0; x >>>= 8) size++;
        control(type, size, out);
        for (int i = size - 1; i >= 0; i--) out.write((int) (v >>> (8 * i)));
    }

    /** The control byte(s): type in the top 3 bits (7 and above as an extended type), size below 29. */
    private static void control(int type, int size, ByteArrayOutputStream out) {
        if (size >= 29) throw new IllegalArgumentException("too long for this writer: " + size);
        if (type <= 7) {
            out.write(type << 5 | size);
        } else {
            out.write(size);
            out.write(type - 7);
        }
    }

    /** An address inside {@code cidr}, for lookups. */
    static IpAddress in(String cidr) {
        return Cidr.parse(cidr).orElseThrow().base();
    }
}
