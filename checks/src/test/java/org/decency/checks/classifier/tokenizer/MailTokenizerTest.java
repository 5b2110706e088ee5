package org.decency.checks.classifier.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MailTokenizerTest {

    static FeatureSet tokens(String mail) {
        return tokens(mail.getBytes(StandardCharsets.ISO_8859_1));
    }

    static FeatureSet tokens(byte[] mail) {
        return MailTokenizer.defaults().tokenize(new ByteArrayInputStream(mail), FeatureSet.withNames());
    }

    @Test
    void quotedPrintableInItsCharsetIsReadAsText() {
        FeatureSet f = tokens("""
                From: a@example.org
                Subject: hi
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                Un =E9t=E9 tr=E8s chaud, ach=
                etez maintenant
                """);
        assertThat(f.contains("body", "été")).isTrue();
        assertThat(f.contains("body", "très")).isTrue();
        assertThat(f.contains("body", "achetez")).as("a soft line break joins the word").isTrue();
        assertThat(f.contains("cte", "quoted-printable")).isTrue();
        assertThat(f.contains("charset", "iso-8859-1")).isTrue();
    }

    @Test
    void base64InUtf8AndEncodedWordsInTheSubject() {
        String body = Base64.getMimeEncoder().encodeToString("Grüße aus Zürich, günstige Uhren".getBytes(StandardCharsets.UTF_8));
        FeatureSet f = tokens("From: =?utf-8?q?J=C3=BCrgen?= <j@example.de>\nSubject: =?UTF-8?B?"
                + Base64.getEncoder().encodeToString("Rolex für Sie".getBytes(StandardCharsets.UTF_8))
                + "?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body + "\n");
        assertThat(f.contains("body", "zürich")).isTrue();
        assertThat(f.contains("body", "günstige")).isTrue();
        assertThat(f.contains("subject", "für")).isTrue();
        assertThat(f.contains("from", "jürgen")).isTrue();
        assertThat(f.contains("from", "example.de")).isTrue();
    }

    @Test
    void wordPairsWithTheirDistance() {
        FeatureSet f = new MailTokenizer(5, 1 << 20, 10).tokenize(
                new ByteArrayInputStream("Subject: x\n\nbuy cheap watches now\n".getBytes(StandardCharsets.US_ASCII)), FeatureSet.withNames());
        assertThat(f.names()).containsValues("osb:buy 1 cheap", "osb:buy 2 watches", "osb:buy 3 now", "osb:cheap 2 now");
    }

    @Test
    void htmlIsReducedToItsVisibleTextAndItsMarkupBecomesFeatures() {
        FeatureSet f = tokens("""
                Subject: offer
                Content-Type: text/html; charset=us-ascii

                <html><body><p>Click <a href="http://www.cheap-meds.example.com/buy?id=1">here</a> now</p>
                <!-- random words -->
                <div style="display: none">grandmother poetry cathedral</div>
                <font color="#ffffff" size="1">x</font><img src="http://198.51.100.7/pixel.gif">
                <script>var tracker = 1;</script></body></html>
                """);
        assertThat(f.contains("body", "click")).isTrue();
        assertThat(f.contains("body", "here")).isTrue();
        assertThat(f.contains("url", "www.cheap-meds.example.com")).isTrue();
        assertThat(f.contains("urldomain", "example.com")).isTrue();
        assertThat(f.contains("url", "ip")).as("an image on a bare address").isTrue();
        assertThat(f.contains("hidden", "grandmother")).isTrue();
        assertThat(f.contains("body", "grandmother")).as("hidden text is not the mail's text").isFalse();
        assertThat(f.contains("htmltag", "font")).isTrue();
        assertThat(f.contains("htmlattr", "font.size=1")).isTrue();
        assertThat(f.contains("html", "comment")).isTrue();
        assertThat(f.contains("html", "active:script")).isTrue();
        assertThat(f.contains("body", "tracker")).as("a script is no text").isFalse();
        assertThat(f.contains("body", "href")).as("tags are no words").isFalse();
    }

    @Test
    void htmlIsReadAsABrowserShowsItWithoutATree() {
        FeatureSet f = tokens("""
                Subject: offer
                Content-Type: text/html; charset=us-ascii

                <html><head><title>secret title</title><style>p { color: red }</style></head>
                <body><p>V&#105;agra &amp; Ci<b>al</b>is&nbsp;today</p><table><tr><td>cell<td>next</table>
                <div hidden><span>unseen <i>words</div>seen again <a href='http://a.example.net/?x=1&amp;y=2'>link</a>
                <script>document.write("scripted")</script><p>un<br>split
                """);
        assertThat(f.contains("body", "viagra")).as("a character reference is its character").isTrue();
        assertThat(f.contains("body", "cialis")).as("an inline tag does not split a word").isTrue();
        assertThat(f.contains("body", "today")).as("&nbsp; separates").isTrue();
        assertThat(f.contains("body", "cell")).as("a cell ends a word").isTrue();
        assertThat(f.contains("body", "un")).as("<br> ends a word").isTrue();
        assertThat(f.contains("body", "secret")).as("the head is no text").isFalse();
        assertThat(f.contains("body", "color")).as("a style is no text").isFalse();
        assertThat(f.contains("body", "scripted")).as("a script is no text").isFalse();
        assertThat(f.contains("hidden", "unseen")).isTrue();
        assertThat(f.contains("hidden", "words")).as("hidden to the end of the hidden element, inner ones left open").isTrue();
        assertThat(f.contains("body", "seen")).as("visible after the hidden element's end tag").isTrue();
        assertThat(f.contains("url", "a.example.net")).isTrue();
        assertThat(f.contains("htmltag", "tbody")).as("the table body a browser adds").isTrue();
        assertThat(f.contains("htmltag", "title")).as("tags in the head are not the body's").isFalse();
        assertThat(f.contains("html", "hidden")).isTrue();
    }

    @Test
    void attachmentsCountByTypeAndNameNotByContent() {
        FeatureSet f = tokens("""
                Subject: invoice
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain

                see attached
                --b1
                Content-Type: application/octet-stream; name="invoice_2024.pdf.exe"
                Content-Transfer-Encoding: base64

                TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                --b1--
                """);
        assertThat(f.contains("attach", "ext:exe")).isTrue();
        assertThat(f.contains("attachname", "invoice_2024.pdf.exe")).isTrue();
        assertThat(f.contains("mime", "application/octet-stream")).isTrue();
        assertThat(f.contains("body", "attached")).isTrue();
        assertThat(f.contains("mime", "multipart/mixed")).isFalse(); // a multipart has no body of its own
    }

    @Test
    void brokenMimeIsReadAsFarAsItGoesAndMarked() {
        FeatureSet f = tokens("""
                Subject: broken
                Content-Type: multipart/alternative; boundary="never-closed"

                --never-closed
                Content-Type: text/plain; charset=no-such-charset
                Content-Transfer-Encoding: base64

                aGVsbG8gd29ybGQ=!!!not base64 at all
                """);
        assertThat(f.contains("subject", "broken")).isTrue();
        assertThat(f.contains("charset", "no-such-charset")).isTrue();
        assertThat(f.contains("body", "hello")).as("what decodes is read").isTrue();
        assertThat(f.contains("mime", "defect")).isTrue();
    }

    @Test
    void bytesThatAreNoMailAtAllGiveAFewFeaturesAndNoException() {
        byte[] junk = new byte[5000];
        new java.util.Random(7).nextBytes(junk);
        FeatureSet f = tokens(junk);
        assertThat(f.size()).isGreaterThanOrEqualTo(0);
        assertThat(tokens(new byte[0]).size()).isLessThan(10);
    }

    @Test
    void ideographsAreWordsOfTheirOwn() {
        FeatureSet f = new MailTokenizer(2, 1 << 20, 10).tokenize(new ByteArrayInputStream(
                "Subject: x\nContent-Type: text/plain; charset=utf-8\n\n免费发票\n".getBytes(StandardCharsets.UTF_8)), FeatureSet.withNames());
        assertThat(f.contains("body", "免")).isTrue();
        assertThat(f.names()).containsValue("osb:免 1 费");
    }

    @Test
    void headerFieldsThatSayWhereTheMailCameFrom() {
        FeatureSet f = tokens("""
                Received: from mx.example.net (mx.example.net [203.0.113.9]) by mail.example.org with ESMTP id 1234ABCD
                Received: from [10.1.2.3] by mx.example.net
                X-Mailer: Microsoft Outlook Express 6.00.2600
                Message-ID: <abc123@bulk.example.biz>
                Subject: hello

                text
                """);
        assertThat(f.contains("rcvd", "example.net")).isTrue();
        assertThat(f.contains("rcvdnet", "203.0.113")).isTrue();
        assertThat(f.contains("rcvd", "hops=2")).isTrue();
        assertThat(f.contains("mailer", "outlook")).isTrue();
        assertThat(f.contains("xmailer", "microsoft outlook express 6.00.2600")).as("the mail program as written").isTrue();
        assertThat(f.contains("msgid", "bulk.example.biz")).isTrue();
        assertThat(f.contains("hdr", "x-mailer")).isTrue();
        assertThat(f.contains("rcpts", "0")).as("no To or Cc").isTrue();
    }

    @Test
    void recipientsCountInSteps() {
        FeatureSet f = tokens("To: a@example.org, b@example.org\nCc: c@example.org, d@example.org, e@example.org\nSubject: x\n\ntext\n");
        assertThat(f.contains("rcpts", "4-10")).isTrue();
        assertThat(f.contains("rcpts", "5")).isFalse();
        assertThat(tokens("To: a@example.org\n\ntext\n").contains("rcpts", "1")).isTrue();
    }

    @Test
    void theWordsOfALinksPathCount() {
        FeatureSet f = tokens("""
                Subject: offer
                Content-Type: text/html; charset=us-ascii

                <a href="http://a.example.com/cgi-bin/optout.pl?list=deals">out</a>
                see http://b.example.net/remove/me now
                """);
        assertThat(f.contains("urlpath", "cgi-bin")).isTrue();
        assertThat(f.contains("urlpath", "optout.pl")).isTrue();
        assertThat(f.contains("urlpath", "deals")).isTrue();
        assertThat(f.contains("urlpath", "remove")).as("a link in the text").isTrue();
        assertThat(f.contains("urlpath", "now")).as("the path ends at the space").isFalse();
        assertThat(f.contains("url", "b.example.net")).isTrue();
    }

    @Test
    void theSameMailGivesTheSameHashes() {
        String mail = "Subject: same\n\nthe very same words\n";
        assertThat(MailTokenizer.defaults().tokenize(new ByteArrayInputStream(mail.getBytes(StandardCharsets.US_ASCII))).hashes())
                .isEqualTo(MailTokenizer.defaults().tokenize(new ByteArrayInputStream(mail.getBytes(StandardCharsets.US_ASCII))).hashes());
    }
}
