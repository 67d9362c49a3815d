package io.github.glidesocket.sample.resp;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that keeps what is written and counts the writes and flushes.
 */
final class RecordingOutputStream extends OutputStream {

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	private int writes;

	private int flushes;

	private int unflushedBytes;

	@Override
	public synchronized void write(int value) {
		this.writes++;
		this.unflushedBytes++;
		this.bytes.write(value);
	}

	@Override
	public synchronized void write(byte[] buffer, int offset, int length) {
		this.writes++;
		this.unflushedBytes += length;
		this.bytes.write(buffer, offset, length);
	}

	@Override
	public synchronized void flush() {
		this.flushes++;
		this.unflushedBytes = 0;
	}

	synchronized int writes() {
		return this.writes;
	}

	synchronized int flushes() {
		return this.flushes;
	}

	synchronized int unflushedBytes() {
		return this.unflushedBytes;
	}

	synchronized byte[] toByteArray() {
		return this.bytes.toByteArray();
	}

	synchronized String text() {
		return this.bytes.toString(StandardCharsets.ISO_8859_1);
	}

}
