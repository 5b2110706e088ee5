package org.decency.checks.classifier.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Turns a raw mail into its {@link FeatureSet}, reading it once with mime4j's streaming
 * parser (the library the mail module parses with): the mail's header fields ({@link
 * HeaderFeatures}), then every part. A text part is decoded (quoted-printable, base64, its
 * charset) and its words and links counted; an HTML part is first reduced to its visible
 * text ({@link HtmlText}). Of other parts (attachments, images) the type, file name and
 * extension count. Every part's type, transfer encoding and charset count too. A mail
 * mime4j finds broken is read as far as it goes, and the breakage is a feature ({@code
 * mime:defect}); nothing here throws for bad input.
 *
 * <p>Safe to share between threads: each call keeps its own state.
 */
public final class MailTokenizer {
    private static final MimeConfig MIME = new MimeConfig.Builder().setMaxLineLen(-1).setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1).setMaxContentLen(-1).setStrictParsing(false).build();

    private final int window;
    private final int maxPartBytes;
    private final int maxParts;

    /**
     * @param window       words per OSB window (1: single words only)
     * @param maxPartBytes decoded bytes of a text part that are read (the rest is not looked at)
     * @param maxParts     parts that are looked at
     */
    public MailTokenizer(int window, int maxPartBytes, int maxParts) {
        this.window = window;
        this.maxPartBytes = maxPartBytes;
        this.maxParts = maxParts;
    }

    public static MailTokenizer defaults() {
        return new MailTokenizer(1, 256 * 1024, 100);
    }

    public FeatureSet tokenize(InputStream raw) {
        return tokenize(raw, FeatureSet.hashesOnly());
    }

    public FeatureSet tokenize(InputStream raw, FeatureSet out) {
        boolean[] defect = {false};
        DecodeMonitor monitor = new DecodeMonitor() {
            @Override
            public boolean warn(String message, String dropDesc) {
                defect[0] = true;
                return false;
            }

            @Override
            public boolean isListening() {
                return true;
            }
        };
        MimeTokenStream stream = new MimeTokenStream(MIME, monitor, new DefaultBodyDescriptorBuilder());
        stream.setRecursionMode(RecursionMode.M_RECURSE);
        HeaderFeatures header = new HeaderFeatures(out, window);
        UrlFeatures urls = new UrlFeatures(out);
        int messages = 0;
        int parts = 0;
        boolean inTopHeader = false;
        try {
            stream.parse(raw);
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                switch (s) {
                    case T_START_MESSAGE -> inTopHeader = ++messages == 1;
                    case T_START_BODYPART -> {
                        if (++parts > maxParts) {
                            out.add("mime", "too-many-parts");
                            return out;
                        }
                    }
                    case T_FIELD -> {
                        if (inTopHeader) {
                            String value = stream.getField().getBody().replace('\r', ' ').replace('\n', ' ');
                            header.add(stream.getField().getName(),
                                    value.contains("=?") ? DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT) : value);
                        }
                    }
                    case T_END_HEADER -> {
                        if (inTopHeader) header.end();
                        inTopHeader = false;
                    }
                    case T_BODY -> body(stream, out, urls);
                    default -> { }
                }
            }
        } catch (IOException | MimeException | RuntimeException e) {
            defect[0] = true;
        }
        if (defect[0]) out.add("mime", "defect");
        return out;
    }

    private void body(MimeTokenStream stream, FeatureSet out, UrlFeatures urls) throws IOException {
        MaximalBodyDescriptor d = (MaximalBodyDescriptor) stream.getBodyDescriptor();
        String type = d.getMimeType() == null ? "text/plain" : d.getMimeType().toLowerCase(Locale.ROOT);
        String encoding = d.getTransferEncoding() == null ? "7bit" : d.getTransferEncoding().toLowerCase(Locale.ROOT);
        out.add("mime", type);
        out.add("cte", encoding);
        String filename = d.getContentDispositionFilename();
        if (filename == null || filename.isBlank()) filename = d.getContentTypeParameters().get("name");
        if (filename != null && !filename.isBlank()) attachment(DecoderUtil.decodeEncodedWords(filename.strip(), DecodeMonitor.SILENT), out);
        if (!type.equals("text/plain") && !type.equals("text/html")) return;
        String charsetName = d.getCharset() == null ? "us-ascii" : d.getCharset().toLowerCase(Locale.ROOT);
        out.add("charset", charsetName);
        byte[] bytes;
        try (InputStream body = stream.getDecodedInputStream()) {
            bytes = body.readNBytes(maxPartBytes);
        }
        String text = new String(bytes, charset(charsetName));
        if (type.equals("text/html")) {
            HtmlText.Reduced r = HtmlText.reduce(text, out, urls);
            text = r.visible();
            if (!r.hidden().isBlank()) new TextFeatures(out, "hidden", 1).add(r.hidden());
        }
        urls.scan(text);
        new TextFeatures(out, "body", window).add(text);
    }

    private static void attachment(String filename, FeatureSet out) {
        String name = filename.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        out.add("attach", dot >= 0 && dot < name.length() - 1 ? "ext:" + name.substring(dot + 1) : "ext:none");
        new TextFeatures(out, "attachname", 1).add(name);
    }

    /** The part's charset; US-ASCII and unknown names are read as ISO-8859-1, which takes any byte. */
    static Charset charset(String name) {
        if (name.equals("us-ascii") || name.equals("ascii")) return StandardCharsets.ISO_8859_1;
        Charset c = CharsetUtil.lookup(name);
        return c == null ? StandardCharsets.ISO_8859_1 : c;
    }
}
