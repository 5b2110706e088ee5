package org.decency.testkit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SPFRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on loopback (UDP and TCP on one port), serving the
 * zone data a test gives it: tests need precise answers (DNSBL return codes, SPF
 * records, timeouts) and must never ask the machine's resolver.
 *
 * <p>Besides records, a name can be made to time out (no answer at all), to fail
 * (SERVFAIL) or to need TCP (its UDP answer is truncated). CNAMEs are followed inside
 * the zone data, as a recursive resolver would, and the chain is returned. A name with
 * no data at all is NXDOMAIN; a name with records of other types answers NODATA, with an
 * SOA in the authority section whose minimum is {@link #negativeTtl}.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final Name SOA_NAME = name("test.");
    /** -Ddecency.testdns.log=true prints every question (to see what a peer asks). */
    private static final boolean LOG = Boolean.getBoolean("decency.testdns.log");

    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    /** Names with data below them: they exist (NODATA), even without data of their own. */
    private final Set<Name> nonTerminals = ConcurrentHashMap.newKeySet();
    private final Set<String> timeouts = ConcurrentHashMap.newKeySet();
    private final Set<Name> failing = ConcurrentHashMap.newKeySet();
    private final Set<Name> tcpOnly = ConcurrentHashMap.newKeySet();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new ArrayList<>();
    private volatile long ttl = 300;
    private volatile long negativeTtl = 60;
    private volatile boolean closed;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts a server on 127.0.0.1, UDP and TCP on the same free port. */
    public static TestDnsServer start() {
        return start(0);
    }

    /** Starts a server on 127.0.0.1:{@code port} (0: a free one), UDP and TCP. */
    public static TestDnsServer start(int port) {
        for (int attempt = 0; attempt < 20; attempt++) {
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                ServerSocket tcp = new ServerSocket();
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort()));
                TestDnsServer s = new TestDnsServer(udp, tcp);
                s.serve();
                return s;
            } catch (IOException e) {
                if (udp != null) udp.close(); // the TCP port was taken: try another port
                if (port != 0) throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no free port for a test DNS server on 127.0.0.1");
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** {@code 127.0.0.1:PORT}, as a config's {@code dns.servers} entry. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** The TTL of the records added from now on. */
    public TestDnsServer ttl(long seconds) {
        this.ttl = seconds;
        return this;
    }

    /** The SOA minimum sent with NXDOMAIN and NODATA answers (the negative-caching TTL). */
    public TestDnsServer negativeTtl(long seconds) {
        this.negativeTtl = seconds;
        return this;
    }

    /**
     * Adds a record in presentation form: {@code add("example.com", "A", "192.0.2.1")},
     * {@code add("example.com", "MX", "10 mx.example.com")}, {@code add("example.com", "TXT", "v=spf1 -all")}.
     * Types: A, AAAA, MX, TXT, SPF, PTR, CNAME, NS. A TXT or SPF value is one string;
     * use {@link #addTxt} for a record of several strings.
     */
    public TestDnsServer add(String owner, String type, String data) {
        Name n = name(owner);
        long t = ttl;
        Record r;
        try {
            r = switch (type.toUpperCase(Locale.ROOT)) {
                // Address.getByAddress parses literals only: a test can never make us ask the machine's resolver.
                case "A" -> new ARecord(n, DClass.IN, t, Address.getByAddress(data, Address.IPv4));
                case "AAAA" -> new AAAARecord(n, DClass.IN, t, Address.getByAddress(data, Address.IPv6));
                case "MX" -> {
                    String[] p = data.strip().split("\\s+");
                    yield new MXRecord(n, DClass.IN, t, Integer.parseInt(p[0]), name(p[1]));
                }
                case "TXT" -> new TXTRecord(n, DClass.IN, t, chunks(data));
                case "SPF" -> new SPFRecord(n, DClass.IN, t, chunks(data));
                case "PTR" -> new PTRRecord(n, DClass.IN, t, name(data));
                case "CNAME" -> new CNAMERecord(n, DClass.IN, t, name(data));
                case "NS" -> new NSRecord(n, DClass.IN, t, name(data));
                default -> throw new IllegalArgumentException("record type not served: " + type);
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("not an address: " + data, e);
        }
        put(n, r);
        return this;
    }

    /**
     * Reads zone data from text: one record a line, {@code name TYPE data} (the data is
     * the rest of the line), or {@code name TIMEOUT}; {@code #} starts a comment.
     */
    public TestDnsServer load(java.nio.file.Path zoneFile) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(zoneFile)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split("\\s+", 3);
            if (f.length == 2 && f[1].equalsIgnoreCase("TIMEOUT")) timeout(f[0]);
            else if (f.length == 3) add(f[0], f[1], f[2]);
            else throw new IllegalArgumentException(zoneFile + ": expected \"name TYPE data\", got \"" + l + "\"");
        }
        return this;
    }

    /** Runs a server from the command line: {@code TestDnsServer PORT ZONEFILE} (for load benchmarks). */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TestDnsServer PORT ZONEFILE");
            System.exit(2);
        }
        TestDnsServer s = start(Integer.parseInt(args[0])).load(java.nio.file.Path.of(args[1]));
        System.out.println("test DNS server on " + s.address() + " with " + s.records.size() + " names");
        Thread.currentThread().join();
    }

    /** Adds a TXT record made of several character-strings. */
    public TestDnsServer addTxt(String owner, List<String> strings) {
        Name n = name(owner);
        List<String> literal = strings.stream().map(TestDnsServer::literal).toList();
        put(n, new TXTRecord(n, DClass.IN, ttl, literal));
        return this;
    }

    /** Makes every question about {@code owner} go unanswered. */
    public TestDnsServer timeout(String owner) {
        timeouts.add(key(owner, "*"));
        return this;
    }

    /** Makes questions of {@code type} about {@code owner} go unanswered. */
    public TestDnsServer timeout(String owner, String type) {
        timeouts.add(key(owner, type));
        return this;
    }

    /** Answers SERVFAIL for {@code owner}. */
    public TestDnsServer servfail(String owner) {
        failing.add(name(owner));
        return this;
    }

    /** Answers questions about {@code owner} over UDP with the TC flag and no records: only TCP gets them. */
    public TestDnsServer tcpOnly(String owner) {
        tcpOnly.add(name(owner));
        return this;
    }

    /** Forgets every record and special behaviour, and the question counts. */
    public TestDnsServer clear() {
        records.clear();
        nonTerminals.clear();
        timeouts.clear();
        failing.clear();
        tcpOnly.clear();
        asked.clear();
        queries.set(0);
        return this;
    }

    /** How many questions arrived (over UDP and TCP). */
    public int queries() {
        return queries.get();
    }

    /** The questions that arrived, as {@code name/TYPE}, oldest first. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    private static List<String> chunks(String data) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < data.length(); i += 255) out.add(literal(data.substring(i, Math.min(data.length(), i + 255))));
        if (out.isEmpty()) out.add("");
        return out;
    }

    /** dnsjava reads a backslash in TXT text as an escape; the test's text is meant as it stands. */
    private static String literal(String text) {
        return text.replace("\\", "\\\\");
    }

    static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + s, e);
        }
    }

    private static String key(String owner, String type) {
        return name(owner).toString().toLowerCase(Locale.ROOT) + "/" + type.toUpperCase(Locale.ROOT);
    }

    private void serve() {
        Thread u = Thread.ofPlatform().daemon().name("test-dns-udp-" + port()).start(this::serveUdp);
        Thread t = Thread.ofPlatform().daemon().name("test-dns-tcp-" + port()).start(this::serveTcp);
        threads.add(u);
        threads.add(t);
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                byte[] answer = answer(java.util.Arrays.copyOf(p.getData(), p.getLength()), false);
                if (answer != null) udp.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                Thread.ofVirtual().start(() -> serveConnection(s));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void serveConnection(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            while (!closed) {
                int len = in.readUnsignedShort();
                byte[] q = in.readNBytes(len);
                if (q.length < len) return;
                byte[] answer = answer(q, true);
                if (answer == null) continue; // a timeout: the client gives up on its own
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed the connection
        }
    }

    /** The wire answer to {@code query}, or null when it must go unanswered. */
    private byte[] answer(byte[] wire, boolean overTcp) {
        Message q;
        try {
            q = new Message(wire);
        } catch (IOException e) {
            if (LOG) System.out.println("unparsable query (" + wire.length + " bytes): " + e.getMessage());
            return null;
        }
        Record question = q.getQuestion();
        if (question == null) return null;
        queries.incrementAndGet();
        Name qname = question.getName();
        String type = Type.string(question.getType());
        asked.add(qname.toString(true).toLowerCase(Locale.ROOT) + "/" + type);
        if (LOG) System.out.println((overTcp ? "tcp " : "udp ") + qname + " " + type);
        String lower = qname.toString().toLowerCase(Locale.ROOT);
        if (timeouts.contains(lower + "/*") || timeouts.contains(lower + "/" + type)) return null;

        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        if (q.getHeader().getFlag(Flags.RD)) r.getHeader().setFlag(Flags.RD);
        r.getHeader().setFlag(Flags.RA);
        r.addRecord(question, Section.QUESTION);
        if (failing.contains(qname)) {
            r.getHeader().setRcode(Rcode.SERVFAIL);
            return r.toWire();
        }
        if (!overTcp && tcpOnly.contains(qname)) {
            r.getHeader().setFlag(Flags.TC);
            return r.toWire();
        }
        Name current = qname;
        for (int hops = 0; hops < 10; hops++) {
            List<Record> here = records.getOrDefault(current, List.of());
            Record cname = here.stream().filter(x -> x.getType() == Type.CNAME).findFirst().orElse(null);
            if (cname != null && question.getType() != Type.CNAME) {
                r.addRecord(cname, Section.ANSWER);
                current = ((CNAMERecord) cname).getTarget();
                if (timeouts.contains(current.toString().toLowerCase(Locale.ROOT) + "/*")) return null;
                continue;
            }
            boolean any = false;
            for (Record x : here) {
                if (x.getType() == question.getType()) {
                    r.addRecord(x, Section.ANSWER);
                    any = true;
                }
            }
            if (!any) {
                if (here.isEmpty() && !hasDescendants(current)) r.getHeader().setRcode(Rcode.NXDOMAIN);
                r.addRecord(new SOARecord(SOA_NAME, DClass.IN, negativeTtl, name("ns.test."), name("hostmaster.test."),
                        1, 3600, 600, 86400, negativeTtl), Section.AUTHORITY);
            }
            break;
        }
        return overTcp ? r.toWire() : r.toWire(512);
    }

    /** An empty non-terminal (a name with data below it) exists: NODATA, not NXDOMAIN. */
    private boolean hasDescendants(Name n) {
        return nonTerminals.contains(n);
    }

    private void put(Name n, Record r) {
        records.computeIfAbsent(n, k -> new CopyOnWriteArrayList<>()).add(r);
        for (int labels = n.labels() - 1; labels > 1; labels--) nonTerminals.add(new Name(n, n.labels() - labels));
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** For the log of a failing test. */
    @Override
    public String toString() {
        return "TestDnsServer[" + address() + ", " + records.size() + " names]";
    }
}
