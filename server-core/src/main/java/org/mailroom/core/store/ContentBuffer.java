package org.mailroom.core.store;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A message being received: kept in memory up to a limit, then spilled to a temporary file so that
 * a few large messages cannot exhaust the heap. {@link #append} only copies into memory and is safe
 * on an event loop; when {@link #shouldSpill()} says so, the session calls {@link #spill()} on the
 * blocking executor (with input paused) before appending more.
 */
public final class ContentBuffer implements MessageContent {
    private final Path spillDir;
    private final int memoryLimit;
    private byte[] mem = new byte[4096];
    private int memLen;
    private Path spillFile;
    private long spilled;
    private long lines;

    public ContentBuffer(Path spillDir, int memoryLimit) {
        this.spillDir = spillDir;
        this.memoryLimit = memoryLimit;
    }

    /** Copies the readable bytes of {@code chunk}; does not release it. */
    public void append(ByteBuf chunk) {
        int n = chunk.readableBytes();
        if (memLen + n > mem.length) mem = Arrays.copyOf(mem, Math.max(mem.length * 2, memLen + n));
        chunk.getBytes(chunk.readerIndex(), mem, memLen, n);
        for (int i = memLen, e = memLen + n; i < e; i++) if (mem[i] == '\n') lines++;
        memLen += n;
    }

    public void append(byte[] b) {
        append(io.netty.buffer.Unpooled.wrappedBuffer(b));
    }

    public boolean shouldSpill() { return memLen >= memoryLimit; }

    /** Moves what is in memory to the temporary file. Blocking. */
    public void spill() throws IOException {
        if (memLen == 0) return;
        if (spillFile == null) {
            Files.createDirectories(spillDir);
            spillFile = Files.createTempFile(spillDir, "spool", ".tmp");
        }
        try (FileChannel ch = FileChannel.open(spillFile, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bb = ByteBuffer.wrap(mem, 0, memLen);
            while (bb.hasRemaining()) ch.write(bb);
        }
        spilled += memLen;
        memLen = 0;
        if (mem.length > 65536) mem = new byte[4096];
    }

    @Override
    public long size() { return spilled + memLen; }

    @Override
    public long lines() { return lines; }

    @Override
    public InputStream open() throws IOException {
        InputStream m = new ByteArrayInputStream(mem, 0, memLen);
        if (spillFile == null) return m;
        return new SequenceInputStream(Files.newInputStream(spillFile), m);
    }

    /** The in-memory bytes when nothing was spilled (fast path for small messages), else null. */
    public byte[] inMemory() {
        return spillFile == null ? Arrays.copyOf(mem, memLen) : null;
    }

    @Override
    public void discard() {
        mem = new byte[0];
        memLen = 0;
        if (spillFile != null) {
            try {
                Files.deleteIfExists(spillFile);
            } catch (IOException ignored) {
                // XXX a leftover spool file is removed at the next start (data/tmp is wiped)
            }
            spillFile = null;
        }
    }
}
