package io.github.glidesocket.sample.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one request, the command name first. A connection reuses one instance for
 * every request it reads; the argument arrays themselves are fresh for each request, so a
 * command may keep them (the store does).
 */
final class RespRequest {

	private static final int INITIAL_CAPACITY = 8;

	private byte[][] arguments = new byte[INITIAL_CAPACITY][];

	private int size;

	int size() {
		return this.size;
	}

	byte[] argument(int index) {
		if (index >= this.size) {
			throw new IndexOutOfBoundsException("Argument " + index + " of a request of " + this.size);
		}
		return this.arguments[index];
	}

	/**
	 * The argument as text. Each byte becomes one character, so the bytes survive a round trip
	 * through an error message unchanged.
	 * @param index the argument's index
	 * @return the argument as text
	 */
	String text(int index) {
		return new String(argument(index), StandardCharsets.ISO_8859_1);
	}

	void add(byte[] argument) {
		if (this.size == this.arguments.length) {
			// Grow with the arguments that arrive, not with the count the peer declared.
			this.arguments = Arrays.copyOf(this.arguments, this.size * 2);
		}
		this.arguments[this.size++] = argument;
	}

	/**
	 * Forget the arguments, dropping the references so that a large value is not kept alive
	 * until the next request.
	 */
	void clear() {
		Arrays.fill(this.arguments, 0, this.size, null);
		this.size = 0;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("[");
		for (int i = 0; i < this.size; i++) {
			text.append((i > 0) ? ", " : "").append(text(i));
		}
		return text.append(']').toString();
	}

}
