package org.mailroom.imap.server;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.compression.ZlibCodecFactory;
import io.netty.handler.codec.compression.ZlibWrapper;
import org.mailroom.core.frame.LineDecoder;
import org.mailroom.imap.wire.Command;

/**
 * COMPRESS DEFLATE (RFC 4978): raw deflate (RFC 1951, no zlib header: {@link ZlibWrapper#NONE}) in
 * both directions, starting right after the tagged OK, which itself goes out uncompressed. The
 * layers sit between TLS and the frame decoder, so TLS carries compressed data (RFC 4978 4).
 * Netty's JDK encoder ends every write with a sync flush, so each response reaches the client at
 * once (RFC 4978 4: "the server MUST flush").
 *
 * <p>Octets the client sent after COMPRESS and before our OK broke RFC 4978 3 (the client waits for
 * the OK); they are dropped. XXX A second COMPRESS is {@code NO [COMPRESSIONACTIVE]} (RFC 4978 3),
 * also when TLS compression were active, which our TLS never offers.
 */
final class CompressHandler implements ImapHandler<Command.Compress> {
    static final String INFLATE = "inflate";
    static final String DEFLATE = "deflate";

    @Override
    public Completion handle(ImapContext ctx, Command.Compress c) {
        if (!c.mechanism().equals("DEFLATE")) throw new ImapBad("Unknown compression mechanism " + c.mechanism());
        if (ctx.channel().pipeline().get(INFLATE) != null) {
            throw new ImapNo("COMPRESSIONACTIVE", "DEFLATE is already active");
        }
        return Completion.ok("DEFLATE active").afterWrite(() -> {
            ctx.discardBufferedInput();
            ChannelPipeline p = ctx.channel().pipeline();
            p.addBefore(LineDecoder.NAME, INFLATE, ZlibCodecFactory.newZlibDecoder(ZlibWrapper.NONE));
            p.addBefore(LineDecoder.NAME, DEFLATE, ZlibCodecFactory.newZlibEncoder(ZlibWrapper.NONE));
        });
    }
}
