package org.decency.defender.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wire format: framing, every command the MTA sends, every reply we send, and what a hostile peer may send instead. */
class MilterCodecTest {

    private static List<MilterCommand> decodeAll(byte[] bytes) throws IOException {
        PacketReader r = new PacketReader(new ByteArrayInputStream(bytes), 1 << 20);
        List<MilterCommand> out = new ArrayList<>();
        Packet p;
        while ((p = r.next()) != null) out.add(MilterCommand.decode(p));
        return out;
    }

    private static MilterCommand decodeOne(Packets p) throws IOException {
        List<MilterCommand> all = decodeAll(p.bytes());
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    // ---- framing

    @Test
    void aCleanEndBetweenPacketsIsNoPacket() throws IOException {
        assertThat(new PacketReader(InputStream.nullInputStream(), 100).next()).isNull();
        assertThat(decodeAll(new Packets().packet('A', new byte[0]).packet('Q', new byte[0]).bytes()))
                .containsExactly(new MilterCommand.Abort(), new MilterCommand.Quit());
    }

    @Test
    void aLengthUnderOneIsRefused() {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            byte[] b = new Packets().int32(bad).raw((byte) 'A').bytes();
            assertThatThrownBy(() -> decodeAll(b)).isInstanceOf(MilterProtocolException.class)
                    .hasMessage("bad packet length " + bad);
        }
    }

    @Test
    void aLengthOverTheLimitIsRefusedBeforeAnythingIsRead() {
        byte[] b = new Packets().int32(0x7fffffff).raw((byte) 'B').bytes();
        assertThatThrownBy(() -> new PacketReader(new ByteArrayInputStream(b), 65536).next())
                .isInstanceOf(MilterProtocolException.class)
                .hasMessage("packet of 2147483647 bytes is over max_packet_size (65536)");
        byte[] justOver = new Packets().int32(65537).bytes();
        assertThatThrownBy(() -> new PacketReader(new ByteArrayInputStream(justOver), 65536).next())
                .hasMessageContaining("65537 bytes is over");
    }

    @Test
    void aPacketOfExactlyTheLimitPasses() throws IOException {
        byte[] body = new byte[65535];
        Packet p = new PacketReader(new ByteArrayInputStream(new Packets().packet('B', body).bytes()), 65536).next();
        assertThat(p.command()).isEqualTo((byte) 'B');
        assertThat(p.data()).hasSize(65535);
    }

    @Test
    void aPacketCutOffAnywhereIsRefused() {
        byte[] whole = new Packets().packet('H', "mail.example.net").bytes();
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> decodeAll(part)).as("cut after %d bytes", cut)
                    .isInstanceOf(MilterProtocolException.class).hasMessageContaining("cut off");
        }
    }

    @Test
    void aLengthThatLiesCostsOnlyWhatArrived() {
        // announces 1 MB, sends 3 bytes: refused as cut off, without a 1 MB buffer standing ready
        byte[] b = new Packets().int32(1 << 20).raw((byte) 'B', (byte) 'x', (byte) 'y', (byte) 'z').bytes();
        assertThatThrownBy(() -> new PacketReader(new ByteArrayInputStream(b), 1 << 20).next())
                .hasMessage("packet 'B' (0x42) cut off after 3 of 1048575 data bytes");
    }

    @Test
    void anUnknownCommandIsRefusedWithItsByte() {
        assertThatThrownBy(() -> decodeAll(new Packets().packet('Z', new byte[] {1, 2}).bytes()))
                .isInstanceOf(MilterProtocolException.class).hasMessage("unknown command 'Z' (0x5a) with 2 data bytes");
        assertThatThrownBy(() -> decodeAll(new Packets().packet((char) 0x01, new byte[0]).bytes()))
                .hasMessage("unknown command (0x01) with 0 data bytes");
    }

    @Test
    void randomGarbageNeverGetsFurtherThanAProtocolError() {
        Random r = new Random(4711);
        for (int i = 0; i < 2000; i++) {
            byte[] g = new byte[r.nextInt(64)];
            r.nextBytes(g);
            try {
                decodeAll(g);
            } catch (MilterProtocolException e) {
                // the only failure allowed
            } catch (Exception e) {
                throw new AssertionError("garbage " + HexFormat.of().formatHex(g) + " gave " + e, e);
            }
        }
    }

    // ---- commands

    @Test
    void optionNegotiation() throws IOException {
        assertThat(decodeOne(new Packets().optneg(6, 0x1ff, 0x1fffff))).isEqualTo(new MilterCommand.OptNeg(6, 0x1ff, 0x1fffff));
        assertThatThrownBy(() -> decodeOne(new Packets().packet('O', new byte[8])))
                .hasMessage("malformed 'O' (0x4f) packet: needs 12 bytes (version, actions, steps), got 8");
    }

    @Test
    void macrosForTheCommandThatFollows() throws IOException {
        MilterCommand.Macro m = (MilterCommand.Macro) decodeOne(new Packets().macro('M', "i", "4XyZ12", "{auth_authen}", "alice"));
        assertThat(m.stage()).isEqualTo((byte) 'M');
        assertThat(m.macros()).containsExactly(Map.entry("i", "4XyZ12"), Map.entry("{auth_authen}", "alice"));
        assertThat(((MilterCommand.Macro) decodeOne(new Packets().macro('C'))).macros()).isEmpty();
        assertThatThrownBy(() -> decodeOne(new Packets().packet('D', new byte[0]))).hasMessageContaining("no command byte");
        assertThatThrownBy(() -> decodeOne(new Packets().packet('D', new byte[] {'C', 'j'}))).hasMessageContaining("NUL terminator");
    }

    @Test
    void connectWithEveryFamily() throws IOException {
        assertThat(decodeOne(new Packets().connect("mail.example.net", '4', 40123, "192.0.2.1")))
                .isEqualTo(new MilterCommand.Connect("mail.example.net", (byte) '4', 40123, "192.0.2.1"));
        assertThat(decodeOne(new Packets().connect("[2001:db8::1]", '6', 25, "2001:db8::1")))
                .isEqualTo(new MilterCommand.Connect("[2001:db8::1]", (byte) '6', 25, "2001:db8::1"));
        assertThat(decodeOne(new Packets().connect("localhost", 'L', 0, "/var/run/sock")))
                .isEqualTo(new MilterCommand.Connect("localhost", (byte) 'L', 0, "/var/run/sock"));
        byte[] unknown = new byte[] {'x', 0, 'U'};
        assertThat(decodeOne(new Packets().packet('C', unknown))).isEqualTo(new MilterCommand.Connect("x", (byte) 'U', 0, ""));
    }

    @Test
    void aMalformedConnectIsRefused() {
        assertThatThrownBy(() -> decodeOne(new Packets().packet('C', new byte[] {'x', 0}))).hasMessageContaining("no address family");
        assertThatThrownBy(() -> decodeOne(new Packets().packet('C', new byte[] {'x', 0, '9', 0, 25, '1', 0})))
                .hasMessageContaining("unknown address family '9'");
        assertThatThrownBy(() -> decodeOne(new Packets().packet('C', new byte[] {'x', 0, '4', 0}))).hasMessageContaining("no port");
        assertThatThrownBy(() -> decodeOne(new Packets().packet('C', new byte[] {'x', 0, '4', 0, 25, '1'})))
                .hasMessageContaining("NUL terminator");
        assertThatThrownBy(() -> decodeOne(new Packets().packet('C', new byte[] {'x', 0, '4', 0, 25, '1', 0, 'z'})))
                .hasMessageContaining("1 bytes after the address");
    }

    @Test
    void heloMailRcptWithTheirParameters() throws IOException {
        assertThat(decodeOne(new Packets().packet('H', "mail.example.net"))).isEqualTo(new MilterCommand.Helo("mail.example.net"));
        assertThat(decodeOne(new Packets().packet('M', "<alice@example.net>", "SIZE=1234", "BODY=8BITMIME")))
                .isEqualTo(new MilterCommand.Mail(List.of("<alice@example.net>", "SIZE=1234", "BODY=8BITMIME")));
        assertThat(decodeOne(new Packets().packet('M', "<>"))).isEqualTo(new MilterCommand.Mail(List.of("<>")));
        assertThat(decodeOne(new Packets().packet('R', "<bob@example.org>", "NOTIFY=NEVER")))
                .isEqualTo(new MilterCommand.Rcpt(List.of("<bob@example.org>", "NOTIFY=NEVER")));
        assertThatThrownBy(() -> decodeOne(new Packets().packet('M', new byte[0]))).hasMessageContaining("no address");
        assertThatThrownBy(() -> decodeOne(new Packets().packet('R', new byte[0]))).hasMessageContaining("no address");
        assertThatThrownBy(() -> decodeOne(new Packets().packet('H', "a", "b"))).hasMessageContaining("expected 1 string(s), got 2");
    }

    @Test
    void headersKeepEveryByteAndTheirFolds() throws IOException {
        byte[] utf8 = "Grüße".getBytes(StandardCharsets.UTF_8);
        byte[] data = new Packets().packet('L', Packets.cstrings("Subject")).bytes();
        java.io.ByteArrayOutputStream d = new java.io.ByteArrayOutputStream();
        d.writeBytes(Packets.cstrings("Subject"));
        d.writeBytes(utf8);
        d.writeBytes("\n\tmore".getBytes(StandardCharsets.US_ASCII));
        d.write(0);
        MilterCommand.Header h = (MilterCommand.Header) decodeOne(new Packets().packet('L', d.toByteArray()));
        assertThat(h.name()).isEqualTo("Subject");
        assertThat(h.value().getBytes(StandardCharsets.ISO_8859_1)).endsWith("\n\tmore".getBytes(StandardCharsets.US_ASCII));
        assertThat(Wire.text(h.value())).isEqualTo("Grüße\n\tmore");
        assertThat(data).isNotEmpty();
        assertThatThrownBy(() -> decodeOne(new Packets().packet('L', "Subject"))).hasMessageContaining("expected 2 string(s), got 1");
    }

    @Test
    void theMessageCommands() throws IOException {
        assertThat(decodeOne(new Packets().packet('T', new byte[0]))).isEqualTo(new MilterCommand.Data());
        assertThat(decodeOne(new Packets().packet('N', new byte[0]))).isEqualTo(new MilterCommand.EndOfHeaders());
        MilterCommand.Body b = (MilterCommand.Body) decodeOne(new Packets().packet('B', "line\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new String(b.chunk(), StandardCharsets.US_ASCII)).isEqualTo("line\r\n");
        MilterCommand.EndOfBody e = (MilterCommand.EndOfBody) decodeOne(new Packets().packet('E', new byte[0]));
        assertThat(e.chunk()).isEmpty();
        MilterCommand.EndOfBody withData = (MilterCommand.EndOfBody) decodeOne(new Packets().packet('E', new byte[] {'x'}));
        assertThat(withData.chunk()).containsExactly('x');
        assertThat(decodeOne(new Packets().packet('A', new byte[0]))).isEqualTo(new MilterCommand.Abort());
        assertThat(decodeOne(new Packets().packet('Q', new byte[0]))).isEqualTo(new MilterCommand.Quit());
        assertThat(decodeOne(new Packets().packet('K', new byte[0]))).isEqualTo(new MilterCommand.QuitNewConnection());
        assertThat(decodeOne(new Packets().packet('U', "XYZZY now"))).isEqualTo(new MilterCommand.Unknown("XYZZY now"));
        assertThat(decodeOne(new Packets().packet('U', new byte[0]))).isEqualTo(new MilterCommand.Unknown(""));
    }

    // ---- replies

    private static String hex(MilterReply r) {
        return HexFormat.of().formatHex(r.encode());
    }

    private static byte[] data(MilterReply r) {
        byte[] e = r.encode();
        return java.util.Arrays.copyOfRange(e, 5, e.length);
    }

    @Test
    void decisionsAreOneByte() {
        assertThat(hex(MilterReply.CONTINUE)).isEqualTo("0000000163");
        assertThat(hex(MilterReply.ACCEPT)).isEqualTo("0000000161");
        assertThat(hex(MilterReply.REJECT)).isEqualTo("0000000172");
        assertThat(hex(MilterReply.TEMPFAIL)).isEqualTo("0000000174");
        assertThat(hex(MilterReply.DISCARD)).isEqualTo("0000000164");
        assertThat(hex(MilterReply.SKIP)).isEqualTo("0000000173");
        assertThat(hex(MilterReply.PROGRESS)).isEqualTo("0000000170");
        assertThat(MilterReply.PROGRESS.decides()).isFalse();
    }

    @Test
    void optionNegotiationReply() {
        assertThat(hex(new MilterReply.OptNeg(6, 0x3f, 0x1000))).isEqualTo("0000000d4f" + "00000006" + "0000003f" + "00001000");
        // with macro lists (SMFIF_SETSYMLIST): per stage its number, the names, a NUL; in stage order
        var lists = new java.util.TreeMap<>(java.util.Map.of(Milter.SMFIM_EOM, "i", Milter.SMFIM_CONNECT, "j {x}"));
        assertThat(hex(new MilterReply.OptNeg(6, 0x13f, 0x1000, lists))).isEqualTo("0000001d4f" + "00000006" + "0000013f" + "00001000"
                + "00000000" + "6a207b787d00" + "00000005" + "6900");
    }

    @Test
    void aReplyCodeWithItsStatusAndText() {
        MilterReply.ReplyCode r = MilterReply.reply(554, "5.7.1", "SPAM detected");
        assertThat(r.text()).isEqualTo("554 5.7.1 SPAM detected");
        assertThat(data(r)).isEqualTo("554 5.7.1 SPAM detected\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.encode()[4]).isEqualTo((byte) 'y');
        assertThat(r.smtpCode()).isEqualTo(554);
    }

    @Test
    void aReplyOfSeveralLinesIsOneSmtpMultiLineReply() {
        assertThat(MilterReply.reply(550, "5.7.1", "first\nsecond\r\nthird\n").text())
                .isEqualTo("550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 third");
    }

    @Test
    void aPercentSignIsDoubledForLibmilterAndPostfixTakesOneOff() {
        assertThat(MilterReply.reply(550, "5.7.1", "100% spam, %s %d").text()).isEqualTo("550 5.7.1 100%% spam, %%s %%d");
    }

    @Test
    void aWrongOrMissingStatusGetsOneOfTheRightClass() {
        assertThat(MilterReply.reply(451, "5.7.1", "x").text()).isEqualTo("451 4.7.1 x");
        assertThat(MilterReply.reply(554, "", "x").text()).isEqualTo("554 5.7.1 x");
        assertThat(MilterReply.reply(554, "garbage", "").text()).isEqualTo("554 5.7.1");
        assertThatThrownBy(() -> MilterReply.reply(250, "2.0.0", "ok")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MilterReply.ReplyCode("hello")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void controlBytesAndNonAsciiNeverReachTheSmtpClient() {
        assertThat(MilterReply.reply(554, "5.7.1", "a\0b\tc\u0007d é").text()).isEqualTo("554 5.7.1 a?b c?d ?");
        String longLine = "x".repeat(5000);
        assertThat(MilterReply.reply(554, "5.7.1", longLine).text()).hasSize(10 + MilterReply.MAX_REPLY_LINE);
        String many = "line\n".repeat(100);
        assertThat(MilterReply.reply(554, "5.7.1", many).text().split("\r\n")).hasSize(MilterReply.MAX_REPLY_LINES);
    }

    @Test
    void aCheckLiteralReplyIsParsed() {
        assertThat(MilterReply.parse("450 4.7.1 Too many mails").text()).isEqualTo("450 4.7.1 Too many mails");
        assertThat(MilterReply.parse("554 Go away").text()).isEqualTo("554 5.7.1 Go away");
        assertThat(MilterReply.parse("421").text()).isEqualTo("421 4.7.1");
        assertThat(MilterReply.parse("DUNNO")).isNull();
        assertThat(MilterReply.parse("250 ok")).isNull();
    }

    @Test
    void headerModifications() {
        assertThat(data(new MilterReply.AddHeader("X-Decency-Result", "GOOD"))).isEqualTo("X-Decency-Result\0GOOD\0".getBytes());
        assertThat(new MilterReply.AddHeader("X-A", "v").encode()[4]).isEqualTo((byte) 'h');
        assertThat(hex(new MilterReply.InsertHeader(0, "A", "b"))).isEqualTo("0000000969" + "00000000" + "4100" + "6200");
        assertThat(hex(new MilterReply.ChangeHeader(2, "Subject", "[SPAM] hi")))
                .isEqualTo("000000176d" + "00000002" + HexFormat.of().formatHex("Subject\0[SPAM] hi\0".getBytes()));
        assertThat(data(MilterReply.ChangeHeader.delete(1, "X-Decency-Score"))).endsWith("X-Decency-Score\0\0".getBytes());
        assertThatThrownBy(() -> new MilterReply.ChangeHeader(0, "A", "b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MilterReply.InsertHeader(-1, "A", "b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHeaderCannotBreakTheMailItGoesInto() {
        assertThatThrownBy(() -> new MilterReply.AddHeader("Bad:Name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MilterReply.AddHeader("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MilterReply.AddHeader("", "v")).isInstanceOf(IllegalArgumentException.class);
        // a line break that would end the field becomes a space; a fold stays, as LF (what libmilter sends and takes)
        assertThat(new MilterReply.AddHeader("X-A", "one\r\nX-Injected: yes").value()).isEqualTo("one X-Injected: yes");
        assertThat(new MilterReply.AddHeader("X-A", "one\r\n\ttwo\n three\r\n").value()).isEqualTo("one\n\ttwo\n three ");
        assertThat(new MilterReply.AddHeader("X-A", "nul\0here").value()).isEqualTo("nul here");
    }

    @Test
    void recipientsBodyAndQuarantine() {
        assertThat(hex(new MilterReply.AddRecipient("<x@example.org>"))).startsWith("000000112b");
        assertThat(data(new MilterReply.AddRecipient("<x@example.org>"))).isEqualTo("<x@example.org>\0".getBytes());
        assertThat(new MilterReply.DeleteRecipient("<x@example.org>").encode()[4]).isEqualTo((byte) '-');
        assertThat(data(new MilterReply.DeleteRecipient("<x@example.org>"))).isEqualTo("<x@example.org>\0".getBytes());
        assertThatThrownBy(() -> new MilterReply.AddRecipient(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(data(new MilterReply.ReplaceBody("new body\r\n".getBytes()))).isEqualTo("new body\r\n".getBytes());
        assertThat(new MilterReply.ReplaceBody(new byte[0]).encode()[4]).isEqualTo((byte) 'b');
        assertThatThrownBy(() -> new MilterReply.ReplaceBody(new byte[Milter.CHUNK_SIZE + 1])).isInstanceOf(IllegalArgumentException.class);
        assertThat(data(new MilterReply.Quarantine("Virus found:\r\nEICAR"))).isEqualTo("Virus found: EICAR\0".getBytes());
        assertThat(new MilterReply.Quarantine("x").decides()).isFalse();
    }

    @Test
    void wireStringsKeepEveryByte() {
        String text = "Grüße, 日本";
        assertThat(Wire.text(Wire.of(text))).isEqualTo(text);
        byte[] latin1 = {(byte) 0xe9, 'x'};
        String wire = new String(latin1, StandardCharsets.ISO_8859_1);
        assertThat(data(new MilterReply.AddHeader("X-A", wire))).isEqualTo(new byte[] {'X', '-', 'A', 0, (byte) 0xe9, 'x', 0});
    }
}
