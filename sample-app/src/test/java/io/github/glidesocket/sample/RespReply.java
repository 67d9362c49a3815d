package io.github.glidesocket.sample;

import java.util.List;
import java.util.Map;

/**
 * A reply as a client reads it off the wire: its RESP type and its value, so that a test can
 * tell a RESP3 null from a RESP2 null bulk string, or a map from a flat array. Text is decoded
 * as UTF-8.
 */
public sealed interface RespReply {

	/**
	 * A bulk string with this text.
	 * @param text the text
	 * @return the reply
	 */
	static RespReply bulk(String text) {
		return new BulkReply(text);
	}

	/** {@code +text}. */
	record SimpleStringReply(String text) implements RespReply {
	}

	/** {@code -message}. */
	record ErrorReply(String message) implements RespReply {
	}

	/** {@code :number}. */
	record IntegerReply(long value) implements RespReply {
	}

	/** {@code $length}, followed by the text. */
	record BulkReply(String text) implements RespReply {
	}

	/** {@code $-1}: RESP2's null. */
	record NullBulkReply() implements RespReply {
	}

	/** {@code *-1}: RESP2's null array. */
	record NullArrayReply() implements RespReply {
	}

	/** {@code *count}, followed by the elements. */
	record ArrayReply(List<RespReply> elements) implements RespReply {
	}

	/** {@code _}: RESP3's null. */
	record NullReply() implements RespReply {
	}

	/** {@code #t} or {@code #f}. */
	record BooleanReply(boolean value) implements RespReply {
	}

	/** {@code ,number}, with {@code inf}, {@code -inf} and {@code nan}. */
	record DoubleReply(double value) implements RespReply {
	}

	/** {@code (digits}: an integer of any size, kept as its digits. */
	record BigNumberReply(String digits) implements RespReply {
	}

	/** {@code !length}, followed by the message: an error in a bulk string. */
	record BlobErrorReply(String message) implements RespReply {
	}

	/** {@code =length}, followed by a three-letter format, a colon and the text. */
	record VerbatimReply(String format, String text) implements RespReply {
	}

	/** {@code %count}, followed by each key and its value, in the order sent. */
	record MapReply(Map<RespReply, RespReply> entries) implements RespReply {
	}

	/** {@code ~count}, followed by the elements, in the order sent. */
	record SetReply(List<RespReply> elements) implements RespReply {
	}

	/** {@code >count}, followed by the elements, the first naming the kind of message. */
	record PushReply(List<RespReply> elements) implements RespReply {
	}

}
