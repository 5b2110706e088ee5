package org.decency.doorman;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.decency.core.Transaction;
import org.decency.core.Verdict;
import org.decency.pipeline.DecisionLog;
import org.decency.pipeline.FinalStates;
import org.decency.pipeline.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers policy requests of one connection, in order. A pipeline of non-blocking
 * checks runs right on the event loop; one with blocking checks runs on
 * {@code blockingExecutor}, requests of the same connection still answered in order.
 * Any failure inside answers DUNNO with one log line, never a dropped request.
 */
final class PolicyHandler extends SimpleChannelInboundHandler<PolicyRequest> {
    private static final Logger log = LoggerFactory.getLogger(PolicyHandler.class);
    static final String FALLBACK = "DUNNO";
    private static final byte[] ACTION_PREFIX = "action=".getBytes(StandardCharsets.US_ASCII);

    private final Pipeline pipeline;
    private final PolicyTransactions transactions;
    private final PolicyReply reply;
    private final ScoreForwarder forwarder;
    private final Clock clock;
    private final Executor blockingExecutor;
    private final PolicyRequestDecoder decoder;
    private final PolicyLimits limits;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private int idlePeriods;

    PolicyHandler(Pipeline pipeline, PolicyTransactions transactions, PolicyReply reply, ScoreForwarder forwarder, Clock clock,
                  Executor blockingExecutor, PolicyRequestDecoder decoder, PolicyLimits limits) {
        this.forwarder = forwarder;
        this.limits = limits;
        this.pipeline = pipeline;
        this.transactions = transactions;
        this.reply = reply;
        this.clock = clock;
        this.blockingExecutor = blockingExecutor;
        this.decoder = decoder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PolicyRequest req) {
        if (req.isBroken()) {
            log.warn("policy client {}: {}; answered DUNNO{}", peer(ctx), req.problem(), req.closeAfterReply() ? " and closed" : "");
            answer(ctx, FALLBACK, req.closeAfterReply());
            return;
        }
        String request = req.attributes().get("request");
        if (!"smtpd_access_policy".equals(request)) {
            log.warn("policy client {}: {}; answered DUNNO", peer(ctx),
                    request == null ? "request without request=" : "unknown request=" + PolicyRequestDecoder.abbreviate(request));
            answer(ctx, FALLBACK, false);
            return;
        }
        if (blockingExecutor == null) {
            answer(ctx, decide(ctx, req), false);
        } else {
            tail = tail.thenRunAsync(() -> answer(ctx, decide(ctx, req), false), blockingExecutor);
        }
    }

    private String decide(ChannelHandlerContext ctx, PolicyRequest req) {
        long t0 = System.nanoTime();
        Transaction tx = null;
        try {
            tx = transactions.from(req.attributes());
            Verdict v = pipeline.run(tx);
            long epochSecond = clock.millis() / 1000;
            String action = reply.render(tx, v, epochSecond);
            forwarder.remember(tx, v, epochSecond);
            pipeline.finalState(FinalStates.of(v));
            DecisionLog.log("doorman", tx, v, action, System.nanoTime() - t0);
            return action;
        } catch (RuntimeException e) {
            log.error("policy client {}: id={} internal error, answered DUNNO: {}", peer(ctx), tx == null ? "-" : tx.id(), e.toString(), e);
            return FALLBACK;
        }
    }

    private static void answer(ChannelHandlerContext ctx, String action, boolean close) {
        // Straight into a pooled direct buffer: no intermediate string, no heap-to-direct copy.
        ByteBuf out = ctx.alloc().directBuffer(ByteBufUtil.utf8MaxBytes(action) + 9);
        out.writeBytes(ACTION_PREFIX);
        ByteBufUtil.writeUtf8(out, action);
        out.writeByte('\n').writeByte('\n');
        var f = ctx.writeAndFlush(out);
        if (close) f.addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle) {
            // The idle handler ticks every request_timeout: mid-request one tick is a stall;
            // between requests the connection may idle up to idle_timeout (Postfix reuses it).
            if (decoder.bufferedBytes() > 0) {
                log.warn("policy client {}: stalled in the middle of a request ({} bytes); closed", peer(ctx), decoder.bufferedBytes());
                ctx.close();
                return;
            }
            idlePeriods = idle.isFirst() ? 1 : idlePeriods + 1;
            if (limits.requestTimeout().multipliedBy(idlePeriods).compareTo(limits.idleTimeout()) >= 0) {
                log.debug("policy client {}: idle; closed", peer(ctx));
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (decoder.bufferedBytes() > 0) {
            log.warn("policy client {}: disconnected in the middle of a request ({} bytes)", peer(ctx), decoder.bufferedBytes());
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("policy client {}: {}; closed", peer(ctx), cause.toString());
        ctx.close();
    }

    static String peer(ChannelHandlerContext ctx) {
        return String.valueOf(ctx.channel().remoteAddress());
    }
}
