package org.decency.defender.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The session's state machine over in-memory streams: what the handler hears, what the MTA is answered, and when it ends. */
class MilterSessionTest {
    static final int ALL_ACTIONS = 0x1ff;
    static final int ALL_STEPS = 0x1fffff;

    /** Records every event; answers what the test sets. */
    static class Recorder implements MilterHandler {
        final List<String> events = new ArrayList<>();
        final Set<Step> answers;
        final Map<Step, MilterReply> replies = new EnumMap<>(Step.class);
        List<MilterReply> endReplies = List.of(MilterReply.ACCEPT);
        Negotiation negotiation;
        Map<String, String> lastMacros = Map.of();

        Recorder(Set<Step> answers) {
            this.answers = answers;
        }

        private MilterReply reply(Step s, String event, Macros m) {
            events.add(event);
            lastMacros = m.all();
            return replies.getOrDefault(s, MilterReply.CONTINUE);
        }

        @Override public Set<Step> answers() { return answers; }
        @Override public int actions() { return Milter.SMFIF_ADDHDRS | Milter.SMFIF_CHGHDRS | Milter.SMFIF_QUARANTINE; }
        @Override public void negotiated(Negotiation n) { negotiation = n; events.add("negotiated"); }
        @Override public MilterReply connect(MilterCommand.Connect c, Macros m) { return reply(Step.CONNECT, "connect " + c.hostname() + " " + c.address(), m); }
        @Override public MilterReply helo(String name, Macros m) { return reply(Step.HELO, "helo " + name, m); }
        @Override public MilterReply mail(List<String> args, Macros m) { return reply(Step.MAIL, "mail " + args, m); }
        @Override public MilterReply rcpt(List<String> args, Macros m) { return reply(Step.RCPT, "rcpt " + args, m); }
        @Override public MilterReply data(Macros m) { return reply(Step.DATA, "data", m); }
        @Override public MilterReply header(String n, String v, Macros m) { return reply(Step.HEADER, "header " + n + "=" + v, m); }
        @Override public MilterReply endOfHeaders(Macros m) { return reply(Step.END_OF_HEADERS, "eoh", m); }
        @Override public MilterReply body(byte[] chunk, Macros m) { return reply(Step.BODY, "body " + chunk.length, m); }
        @Override public List<MilterReply> endOfMessage(Macros m) { events.add("eom"); lastMacros = m.all(); return endReplies; }
        @Override public void abort() { events.add("abort"); }
        @Override public MilterReply unknown(String c, Macros m) { return reply(Step.UNKNOWN, "unknown " + c, m); }
        @Override public void disconnect() { events.add("disconnect"); }
        @Override public void close() { events.add("close"); }
    }

    /** What the MTA read back: one entry per packet, {@code c}, {@code y:554 5.7.1 text}, {@code O:6/0x11/0x...}. */
    static List<String> run(Recorder h, Packets mta) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MilterSession(new ByteArrayInputStream(mta.bytes()), out, 1 << 20, h, "test").run();
        PacketReader r = new PacketReader(new ByteArrayInputStream(out.toByteArray()), 1 << 20);
        List<String> replies = new ArrayList<>();
        Packet p;
        while ((p = r.next()) != null) {
            String c = String.valueOf((char) p.command());
            byte[] d = p.data();
            if (p.command() == 'O') {
                replies.add("O:" + int32(d, 0) + "/0x" + Integer.toHexString(int32(d, 4)) + "/0x" + Integer.toHexString(int32(d, 8)));
            } else if (d.length > 0) {
                replies.add(c + ":" + new String(d, java.nio.charset.StandardCharsets.ISO_8859_1).replace('\0', '|'));
            } else {
                replies.add(c);
            }
        }
        return replies;
    }

    static int int32(byte[] d, int at) {
        return ((d[at] & 0xff) << 24) | ((d[at + 1] & 0xff) << 16) | ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
    }

    static Packets hello() {
        return new Packets().optneg(6, ALL_ACTIONS, ALL_STEPS)
                .macro('C', "j", "mx.example.org", "{daemon_name}", "mx")
                .connect("mail.example.net", '4', 40000, "192.0.2.1")
                .macro('H', "{tls_version}", "TLSv1.3")
                .packet('H', "mail.example.net");
    }

    static Packets message(Packets p, String queueId) {
        return p.macro('M', "i", queueId, "{auth_authen}", "alice")
                .packet('M', "<alice@example.net>", "SIZE=100")
                .macro('R', "{rcpt_addr}", "bob@example.org")
                .packet('R', "<bob@example.org>")
                .packet('T', new byte[0])
                .packet('L', "Subject", "hello")
                .packet('N', new byte[0])
                .packet('B', "body\r\n".getBytes())
                .packet('E', new byte[0]);
    }

    @Test
    void negotiationAsksForNoReplyWhereTheHandlerHasNothingToSay() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.RCPT, MilterHandler.Step.BODY));
        List<String> replies = run(h, new Packets().optneg(6, ALL_ACTIONS, ALL_STEPS).packet('Q', new byte[0]));
        int expected = Milter.SMFIP_NR_CONN | Milter.SMFIP_NR_HELO | Milter.SMFIP_NR_MAIL | Milter.SMFIP_NR_DATA | Milter.SMFIP_NR_HDR
                | Milter.SMFIP_NR_EOH | Milter.SMFIP_NR_UNKN | Milter.SMFIP_SKIP | Milter.SMFIP_HDR_LEADSPC;
        assertThat(replies).containsExactly("O:6/0x31/0x" + Integer.toHexString(expected));
        assertThat(h.negotiation).isEqualTo(new Negotiation(6, 0x31, expected));
        assertThat(h.negotiation.leadingSpace()).isTrue();
        assertThat(h.negotiation.skip()).isTrue();
        assertThat(h.events).containsExactly("negotiated", "close");
    }

    @Test
    void anOlderMtaGetsOnlyWhatItOffersAndEveryStepAnswered() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.RCPT));
        Packets mta = new Packets().optneg(2, Milter.SMFIF_ADDHDRS, 0x7f)
                .connect("mail.example.net", '4', 1, "192.0.2.1").packet('H', "x").packet('M', "<a@b>").packet('R', "<c@d>")
                .packet('Q', new byte[0]);
        assertThat(run(h, mta)).containsExactly("O:2/0x1/0x0", "c", "c", "c", "c");
    }

    @Test
    void aVersionBeforeTwoIsRefused() throws IOException {
        Recorder h = new Recorder(EnumSet.allOf(MilterHandler.Step.class));
        assertThat(run(h, new Packets().optneg(1, ALL_ACTIONS, ALL_STEPS))).isEmpty();
        assertThat(h.events).containsExactly("close");
    }

    @Test
    void aWholeMessageIsHeardInOrderAndAnsweredOnlyWhereAgreed() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.RCPT, MilterHandler.Step.BODY));
        h.endReplies = List.of(new MilterReply.AddHeader("X-Decency-Result", "GOOD"), MilterReply.ACCEPT);
        List<String> replies = run(h, message(hello(), "4Q1").packet('Q', new byte[0]));
        assertThat(h.events).containsExactly("negotiated", "connect mail.example.net 192.0.2.1", "helo mail.example.net",
                "mail [<alice@example.net>, SIZE=100]", "rcpt [<bob@example.org>]", "data", "header Subject=hello", "eoh",
                "body 6", "eom", "disconnect", "close");
        // answers: RCPT, BODY, then the end of body's modification and decision
        assertThat(replies).hasSize(5).endsWith("c", "c", "h:X-Decency-Result|GOOD|", "a");
        assertThat(h.lastMacros).containsEntry("i", "4Q1").containsEntry("auth_authen", "alice")
                .containsEntry("tls_version", "TLSv1.3").containsEntry("j", "mx.example.org").containsEntry("rcpt_addr", "bob@example.org");
    }

    @Test
    void aRefusalAtRcptIsSentWithItsText() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.RCPT));
        h.replies.put(MilterHandler.Step.RCPT, MilterReply.reply(554, "5.7.1", "Blacklisted"));
        List<String> replies = run(h, hello().packet('M', "<a@example.net>").packet('R', "<b@example.org>").packet('A', new byte[0])
                .packet('Q', new byte[0]));
        assertThat(replies).containsExactly(replies.getFirst(), "y:554 5.7.1 Blacklisted|");
        assertThat(h.events).endsWith("rcpt [<b@example.org>]", "abort", "disconnect", "close");
    }

    @Test
    void severalMessagesOnOneConnectionAndAnAbortBetween() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.RCPT));
        Packets mta = message(hello(), "Q1")
                .macro('M', "i", "Q2").packet('M', "<x@example.net>").packet('R', "<y@example.org>").packet('A', new byte[0])
                .packet('M', "<z@example.net>") // the message macros of Q2 went with the abort
                .packet('A', new byte[0]);
        Recorder r = h;
        run(r, message(mta, "Q3").packet('Q', new byte[0]));
        assertThat(r.events.stream().filter(e -> e.startsWith("mail") || e.equals("abort") || e.equals("eom")))
                .containsExactly("mail [<alice@example.net>, SIZE=100]", "eom", "mail [<x@example.net>]", "abort",
                        "mail [<z@example.net>]", "abort", "mail [<alice@example.net>, SIZE=100]", "eom");
        assertThat(r.lastMacros).containsEntry("i", "Q3");
        assertThat(r.lastMacros).as("the connection's macros stay").containsEntry("j", "mx.example.org");
    }

    @Test
    void aMacroOfTheLastMessageDoesNotLeakIntoTheNext() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.MAIL));
        run(h, hello().macro('M', "i", "Q1").packet('M', "<a@b>").packet('A', new byte[0]).packet('M', "<c@d>").packet('Q', new byte[0]));
        assertThat(h.lastMacros).doesNotContainKey("i");
    }

    @Test
    void aNewMailWithoutAbortEndsTheOpenMessage() throws IOException {
        Recorder h = new Recorder(EnumSet.noneOf(MilterHandler.Step.class));
        run(h, hello().packet('M', "<a@b>").packet('R', "<c@d>").packet('M', "<e@f>").packet('Q', new byte[0]));
        assertThat(h.events).containsSubsequence("mail [<a@b>]", "rcpt [<c@d>]", "abort", "mail [<e@f>]", "disconnect", "close");
    }

    @Test
    void quitNewConnectionStartsAnotherSmtpConnectionOnTheSameSocket() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.CONNECT));
        Packets mta = message(hello(), "Q1").packet('K', new byte[0])
                .connect("other.example.net", '6', 1, "2001:db8::1").packet('H', "other").packet('Q', new byte[0]);
        List<String> replies = run(h, mta);
        assertThat(h.events).containsSubsequence("connect mail.example.net 192.0.2.1", "eom", "disconnect",
                "connect other.example.net 2001:db8::1", "helo other", "disconnect", "close");
        assertThat(h.lastMacros).as("macros of the old connection are gone").doesNotContainKey("j");
        assertThat(replies).containsExactly(replies.getFirst(), "c", "a", "c");
    }

    @Test
    void anUnknownSmtpCommandIsHeard() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.UNKNOWN));
        h.replies.put(MilterHandler.Step.UNKNOWN, MilterReply.reply(500, "5.5.1", "what?"));
        assertThat(run(h, hello().packet('U', "XYZZY").packet('Q', new byte[0]))).endsWith("y:500 5.5.1 what?|");
        assertThat(h.events).contains("unknown XYZZY");
    }

    @Test
    void skipReachesTheMtaOnlyDuringTheBodyAndOnlyWhenAgreed() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.RCPT, MilterHandler.Step.BODY));
        h.replies.put(MilterHandler.Step.BODY, MilterReply.SKIP);
        h.replies.put(MilterHandler.Step.RCPT, MilterReply.SKIP);
        assertThat(run(h, message(hello(), "Q").packet('Q', new byte[0]))).containsExactly(
                "O:6/0x31/0x" + Integer.toHexString(0x1fffff & ~(Milter.SMFIP_NR_RCPT | Milter.SMFIP_NR_BODY) & noReplyAndExtensions()),
                "c", "s", "a");
        Recorder old = new Recorder(EnumSet.of(MilterHandler.Step.BODY));
        old.replies.put(MilterHandler.Step.BODY, MilterReply.SKIP);
        List<String> replies = run(old, message(new Packets().optneg(6, ALL_ACTIONS, ALL_STEPS & ~Milter.SMFIP_SKIP)
                .connect("h", '4', 1, "192.0.2.1"), "Q").packet('Q', new byte[0]));
        assertThat(replies.get(replies.size() - 2)).as("body answered continue without SKIP agreed").isEqualTo("c");
    }

    private static int noReplyAndExtensions() {
        int m = Milter.SMFIP_SKIP | Milter.SMFIP_HDR_LEADSPC;
        for (MilterHandler.Step s : MilterHandler.Step.values()) m |= s.noReply;
        return m;
    }

    @Test
    void commandsOutOfOrderEndTheSessionAndTheHandlerCleansUp() throws IOException {
        Recorder headerFirst = new Recorder(EnumSet.allOf(MilterHandler.Step.class));
        run(headerFirst, hello().packet('L', "Subject", "x").packet('Q', new byte[0]));
        assertThat(headerFirst.events).endsWith("helo mail.example.net", "disconnect", "close");

        Recorder rcptFirst = new Recorder(EnumSet.allOf(MilterHandler.Step.class));
        run(rcptFirst, new Packets().optneg(6, ALL_ACTIONS, ALL_STEPS).packet('R', "<a@b>"));
        assertThat(rcptFirst.events).containsExactly("negotiated", "close");

        Recorder twice = new Recorder(EnumSet.allOf(MilterHandler.Step.class));
        run(twice, hello().connect("again", '4', 1, "192.0.2.2"));
        assertThat(twice.events).doesNotContain("connect again 192.0.2.2").endsWith("disconnect", "close");

        Recorder noOptneg = new Recorder(EnumSet.allOf(MilterHandler.Step.class));
        assertThat(run(noOptneg, new Packets().connect("h", '4', 1, "192.0.2.1"))).isEmpty();
        assertThat(noOptneg.events).containsExactly("close");
    }

    @Test
    void aPeerThatVanishesInTheBodyLeavesNothingBehind() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.BODY));
        Packets cut = hello().packet('M', "<a@b>").packet('R', "<c@d>").packet('B', "part".getBytes());
        byte[] half = new Packets().packet('B', "more body".getBytes()).bytes();
        cut.raw(java.util.Arrays.copyOf(half, 7));
        run(h, cut);
        assertThat(h.events).endsWith("body 4", "disconnect", "close");
    }

    @Test
    void aHostilePacketMidMessageEndsTheSessionCleanly() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.BODY));
        run(h, hello().packet('M', "<a@b>").int32(-42));
        assertThat(h.events).endsWith("mail [<a@b>]", "disconnect", "close");
        Recorder garbage = new Recorder(EnumSet.of(MilterHandler.Step.BODY));
        run(garbage, hello().packet('M', "<a@b>").packet('?', "x"));
        assertThat(garbage.events).endsWith("mail [<a@b>]", "disconnect", "close");
    }

    @Test
    void aHandlerThatThrowsEndsTheSessionWithoutAnAnswer() throws IOException {
        Recorder h = new Recorder(EnumSet.of(MilterHandler.Step.RCPT)) {
            @Override
            public MilterReply rcpt(List<String> args, Macros m) {
                throw new IllegalStateException("boom");
            }
        };
        List<String> replies = run(h, hello().packet('M', "<a@b>").packet('R', "<c@d>").packet('Q', new byte[0]));
        assertThat(replies).hasSize(1); // the negotiation only: the MTA applies milter_default_action
        assertThat(h.events).endsWith("disconnect", "close");
    }

    @Test
    void anEndOfMessageWithoutADecisionLastIsAnInternalError() throws IOException {
        Recorder h = new Recorder(EnumSet.noneOf(MilterHandler.Step.class));
        h.endReplies = List.of(MilterReply.ACCEPT, new MilterReply.AddHeader("X-A", "b"));
        List<String> replies = run(h, message(hello(), "Q"));
        assertThat(replies).hasSize(1);
        assertThat(h.events).endsWith("eom", "disconnect", "close");
    }

    @Test
    void macrosAreFoundWithOrWithoutBracesTheLatestFirst() {
        Macros m = new Macros();
        m.define((byte) 'C', Map.of("j", "mx", "{daemon_name}", "d"));
        m.define((byte) 'M', Map.of("{i}", "Q1", "{auth_authen}", "alice"));
        m.define((byte) 'R', Map.of("i", "Q2"));
        assertThat(m.get("i")).isEqualTo("Q2");
        assertThat(m.get("{i}")).isEqualTo("Q2");
        assertThat(m.get("{daemon_name}")).isEqualTo("d");
        assertThat(m.get("daemon_name")).isEqualTo("d");
        assertThat(m.get("{}")).isEmpty();
        m.clear((byte) 'R');
        assertThat(m.get("i")).isEqualTo("Q1");
        m.define((byte) 'M', Map.of("{mail_addr}", "a@b"));
        assertThat(m.get("auth_authen")).as("new macros of a command replace its old ones").isEmpty();
        m.clearAll();
        assertThat(m.all()).isEmpty();
    }
}
