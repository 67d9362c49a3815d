package io.github.glidesocket.sample.resp;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * An input stream that hands out its chunks one per read, as a socket does when each chunk
 * arrives on its own, then reaches end-of-stream. A chunk larger than the reader's buffer is
 * handed out over several reads.
 */
final class ScriptedInputStream extends InputStream {

	private final Deque<byte[]> chunks = new ArrayDeque<>();

	private int reads;

	ScriptedInputStream(byte[]... chunks) {
		for (byte[] chunk : chunks) {
			this.chunks.add(chunk);
		}
	}

	static ScriptedInputStream of(String... chunks) {
		return new ScriptedInputStream(Arrays.stream(chunks)
			.map((chunk) -> chunk.getBytes(StandardCharsets.ISO_8859_1))
			.toArray(byte[][]::new));
	}

	int reads() {
		return this.reads;
	}

	@Override
	public int read() {
		byte[] single = new byte[1];
		return (read(single, 0, 1) < 0) ? -1 : single[0] & 0xFF;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) {
		this.reads++;
		byte[] chunk = this.chunks.poll();
		if (chunk == null) {
			return -1;
		}
		int count = Math.min(length, chunk.length);
		System.arraycopy(chunk, 0, buffer, offset, count);
		if (count < chunk.length) {
			this.chunks.addFirst(Arrays.copyOfRange(chunk, count, chunk.length));
		}
		return count;
	}

}
