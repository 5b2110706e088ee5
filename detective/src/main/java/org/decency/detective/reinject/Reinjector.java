package org.decency.detective.reinject;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.decency.detective.smtp.SmtpReply;
import org.decency.detective.smtp.Xtext;
import org.decency.detective.spool.SpooledEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes mail on over SMTP: to the first target (in configured order) that takes it,
 * then a copy to every {@code copy: 1} target. The envelope goes on as it came: the
 * sender and recipients with their DSN parameters (RET, ENVID, NOTIFY, ORCPT), BODY and
 * SMTPUTF8, and the original client through XFORWARD where the target offers it.
 * Connections are kept open and reused between mails.
 */
public final class Reinjector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reinjector.class);
    private static final Pattern QUEUED_AS = Pattern.compile("queued as ([0-9A-Za-z]+)");
    private static final long STALE_MILLIS = 20_000;
    private static final int POOL_SIZE = 256;

    /** What is sent as DATA: the mail, with the changes the checks asked for. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * The outcome of a delivery.
     *
     * @param accepted  the target that took the mail (null: nobody did)
     * @param queueId   its queue id, parsed from "queued as ..."
     * @param refused   recipients the target refused for good, with its reply
     * @param permanent nobody took it and the refusal was permanent (a 5xx)
     * @param problem   why nobody took it
     */
    public record Result(ReinjectTarget accepted, String queueId, Map<String, SmtpReply> refused, boolean permanent,
                         String problem) {
        public boolean delivered() {
            return accepted != null;
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> failures =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder undelivered = new java.util.concurrent.atomic.LongAdder();
    private final List<ReinjectTarget> primaries;
    private final List<ReinjectTarget> copies;
    private final Map<ReinjectTarget, ConcurrentLinkedDeque<SmtpConnection>> pools = new ConcurrentHashMap<>();

    public Reinjector(List<ReinjectTarget> targets) {
        this.primaries = targets.stream().filter(t -> !t.copy()).toList();
        this.copies = targets.stream().filter(ReinjectTarget::copy).toList();
    }

    public List<ReinjectTarget> targets() {
        List<ReinjectTarget> all = new ArrayList<>(primaries);
        all.addAll(copies);
        return all;
    }

    private void failed(ReinjectTarget t) {
        failures.computeIfAbsent(t.address(), k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** Failed attempts so far per target ({@code host:port}), copies included; each is followed by the next target. */
    public Map<String, Long> failures() {
        Map<String, Long> m = new java.util.TreeMap<>();
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Mails no target took so far (the sending MTA was told 4xx, or 5xx when so configured). */
    public long undelivered() {
        return undelivered.sum();
    }

    public Result deliver(SpooledEnvelope env, List<String> recipients, long size, Content content) {
        List<String> problems = new ArrayList<>();
        Result done = null;
        for (ReinjectTarget t : primaries) {
            try {
                done = send(t, env, recipients, size, content);
                break;
            } catch (ReinjectException e) {
                problems.add(e.getMessage());
                if (e.permanent()) {
                    failed(t);
                    undelivered.increment();
                    return new Result(null, "", Map.of(), true, e.getMessage());
                }
            } catch (IOException e) {
                problems.add(t.address() + ": " + e.getMessage());
            }
            failed(t);
            log.warn("reinject: {} failed ({}); trying the next target", t.address(), problems.getLast());
        }
        if (done == null) {
            undelivered.increment();
            return new Result(null, "", Map.of(), false, String.join("; ", problems));
        }
        for (ReinjectTarget c : copies) {
            try {
                send(c, env, recipients, size, content);
            } catch (IOException e) {
                failed(c);
                log.warn("reinject: the copy to {} failed: {}", c.address(), e.getMessage());
            }
        }
        return done;
    }

    private Result send(ReinjectTarget t, SpooledEnvelope env, List<String> recipients, long size, Content content) throws IOException {
        SmtpConnection kept = borrow(t);
        if (kept != null) {
            try {
                Result r = transaction(kept, env, recipients, size, content);
                giveBack(kept);
                return r;
            } catch (ReinjectException e) {
                kept.close();
                // 421: the server closed the kept connection meanwhile and said so (its idle timeout, a reload)
                if (e.code() != 421) throw e;
            } catch (IOException e) {
                kept.close();
                // a kept connection the server had closed meanwhile: once more on a new one
            }
        }
        SmtpConnection c = SmtpConnection.open(t);
        try {
            Result r = transaction(c, env, recipients, size, content);
            giveBack(c);
            return r;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /**
     * One mail on one connection. Where the target offers PIPELINING (RFC 2920) the
     * envelope commands and DATA go out in one piece and their replies are read after:
     * one round trip instead of one per command.
     */
    private Result transaction(SmtpConnection c, SpooledEnvelope env, List<String> recipients, long size, Content content)
            throws IOException {
        String where = c.target().address();
        boolean pipelined = c.has("PIPELINING");
        List<String> commands = new ArrayList<>(recipients.size() + 3);
        String xforward = xforward(c, env);
        if (xforward != null) commands.add(xforward);
        commands.add("MAIL FROM:<" + env.sender() + ">" + mailParams(c, env.senderParams(), size));
        for (String r : recipients) {
            String params = env.recipients().stream().filter(x -> x.address().equals(r)).map(SpooledEnvelope.Recipient::params)
                    .findFirst().orElse("");
            commands.add("RCPT TO:<" + r + ">" + rcptParams(c, params));
        }
        commands.add("DATA");

        List<SmtpReply> replies = new ArrayList<>(commands.size());
        String problem = null;
        SmtpReply failed = null;
        if (pipelined) {
            for (String command : commands) c.send(command);
            c.flush();
        }
        Map<String, SmtpReply> refused = new java.util.LinkedHashMap<>();
        int accepted = 0;
        for (int i = 0; i < commands.size(); i++) {
            String command = commands.get(i);
            SmtpReply reply = pipelined ? c.read() : c.command(command);
            replies.add(reply);
            if (problem != null) {
                if (!pipelined) break; // step by step, nothing more is sent after a refusal
                continue; // pipelined: every reply is read, whatever came before
            }
            boolean isRcpt = command.startsWith("RCPT");
            boolean isData = i == commands.size() - 1;
            if (isRcpt) {
                String r = recipients.get(i - (commands.size() - 1 - recipients.size()));
                if (reply.positive()) {
                    accepted++;
                } else if (reply.permanent()) {
                    refused.put(r, reply);
                } else {
                    problem = "RCPT TO:<" + r + ">";
                    failed = reply;
                }
                if (i == commands.size() - 2 && problem == null && accepted == 0) {
                    problem = "every recipient";
                    failed = refused.values().iterator().next();
                }
            } else if (isData ? reply.code() != 354 : !reply.positive()) {
                problem = isData ? "DATA" : command.startsWith("MAIL") ? "MAIL FROM" : "XFORWARD";
                failed = reply;
            }
        }
        if (problem != null) {
            if (replies.getLast().code() == 354 && replies.size() == commands.size()) {
                // the target waits for the mail: only a dropped connection ends that without a delivery
                c.abandon();
                throw new ReinjectException(failed.permanent(), failed.code(), where + " refused " + problem + ": " + failed.render());
            }
            abort(c, failed, problem, where);
        }
        DotStuffing body = new DotStuffing(c.data());
        content.writeTo(body);
        body.finish();
        SmtpReply end = c.read();
        if (!end.positive()) throw new ReinjectException(end.permanent(), end.code(), where + " refused the mail: " + end.render());
        Matcher m = QUEUED_AS.matcher(end.text());
        return new Result(c.target(), m.find() ? m.group(1) : "", refused, false, "");
    }

    /** The XFORWARD command with the attributes the target takes, or null when there is nothing to send. */
    private static String xforward(SmtpConnection c, SpooledEnvelope env) {
        if (!c.has("XFORWARD") || env.xforward().isEmpty()) return null;
        String offered = c.params("XFORWARD");
        StringBuilder b = new StringBuilder("XFORWARD");
        env.xforward().forEach((k, v) -> {
            if (offered.contains(k.toUpperCase(Locale.ROOT))) b.append(' ').append(k).append('=').append(Xtext.encode(v));
        });
        return b.length() > "XFORWARD".length() ? b.toString() : null;
    }

    private static void abort(SmtpConnection c, SmtpReply r, String what, String where) throws IOException {
        try {
            c.command("RSET");
        } catch (IOException e) {
            // the connection is dropped anyway
        }
        throw new ReinjectException(r.permanent(), r.code(), where + " refused " + what + ": " + r.render());
    }

    private static void expect(SmtpReply r, String what, String where) throws ReinjectException {
        if (!r.positive()) throw new ReinjectException(r.permanent(), r.code(), where + " refused " + what + ": " + r.render());
    }

    /** The sender's parameters the target understands, SIZE set to what is really sent. */
    private static String mailParams(SmtpConnection c, String given, long size) {
        StringBuilder b = new StringBuilder();
        if (c.has("SIZE")) b.append(" SIZE=").append(size);
        for (String p : given.split("\\s+")) {
            if (p.isEmpty()) continue;
            String key = (p.contains("=") ? p.substring(0, p.indexOf('=')) : p).toUpperCase(Locale.ROOT);
            boolean pass = switch (key) {
                case "BODY" -> c.has("8BITMIME");
                case "RET", "ENVID" -> c.has("DSN");
                case "SMTPUTF8" -> true; // a target without it must refuse, not mangle the mail
                default -> false;
            };
            if (pass) b.append(' ').append(p);
        }
        return b.toString();
    }

    private static String rcptParams(SmtpConnection c, String given) {
        if (!c.has("DSN")) return "";
        StringBuilder b = new StringBuilder();
        for (String p : given.split("\\s+")) {
            String key = p.contains("=") ? p.substring(0, p.indexOf('=')).toUpperCase(Locale.ROOT) : "";
            if (key.equals("NOTIFY") || key.equals("ORCPT")) b.append(' ').append(p);
        }
        return b.toString();
    }

    private SmtpConnection borrow(ReinjectTarget t) {
        ConcurrentLinkedDeque<SmtpConnection> pool = pools.computeIfAbsent(t, k -> new ConcurrentLinkedDeque<>());
        SmtpConnection c;
        while ((c = pool.pollFirst()) != null) {
            if (!c.staleAfter(STALE_MILLIS)) return c;
            c.close();
        }
        return null;
    }

    private void giveBack(SmtpConnection c) {
        ConcurrentLinkedDeque<SmtpConnection> pool = pools.computeIfAbsent(c.target(), k -> new ConcurrentLinkedDeque<>());
        if (pool.size() < POOL_SIZE) pool.addFirst(c);
        else c.close();
    }

    @Override
    public void close() {
        pools.values().forEach(p -> p.forEach(SmtpConnection::close));
        pools.clear();
    }
}
