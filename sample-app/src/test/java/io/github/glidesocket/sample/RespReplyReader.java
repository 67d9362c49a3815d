package io.github.glidesocket.sample;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.glidesocket.sample.RespReply.ArrayReply;
import io.github.glidesocket.sample.RespReply.BigNumberReply;
import io.github.glidesocket.sample.RespReply.BlobErrorReply;
import io.github.glidesocket.sample.RespReply.BooleanReply;
import io.github.glidesocket.sample.RespReply.BulkReply;
import io.github.glidesocket.sample.RespReply.DoubleReply;
import io.github.glidesocket.sample.RespReply.ErrorReply;
import io.github.glidesocket.sample.RespReply.IntegerReply;
import io.github.glidesocket.sample.RespReply.MapReply;
import io.github.glidesocket.sample.RespReply.NullArrayReply;
import io.github.glidesocket.sample.RespReply.NullBulkReply;
import io.github.glidesocket.sample.RespReply.NullReply;
import io.github.glidesocket.sample.RespReply.PushReply;
import io.github.glidesocket.sample.RespReply.SetReply;
import io.github.glidesocket.sample.RespReply.SimpleStringReply;
import io.github.glidesocket.sample.RespReply.VerbatimReply;

/**
 * Reads replies of either protocol, RESP2 or RESP3, as a client does, keeping the type of each.
 * Reads the stream byte by byte, without buffering ahead, so that the stream can still be read
 * directly between two replies. Strict: anything but a well-formed reply fails.
 */
public final class RespReplyReader {

	private final InputStream input;

	public RespReplyReader(InputStream input) {
		this.input = input;
	}

	/**
	 * Read one reply, with all its elements.
	 * @return the reply
	 * @throws IOException if the read fails, the stream ends first, or the bytes are no reply
	 */
	public RespReply read() throws IOException {
		int type = this.input.read();
		if (type == -1) {
			throw new EOFException("Connection ended before a reply");
		}
		String line = readLine();
		return switch (type) {
			case '+' -> new SimpleStringReply(line);
			case '-' -> new ErrorReply(line);
			case ':' -> new IntegerReply(Long.parseLong(line));
			case '$' -> (line.equals("-1")) ? new NullBulkReply() : new BulkReply(readBlob(line));
			case '*' -> (line.equals("-1")) ? new NullArrayReply() : new ArrayReply(readElements(line));
			case '_' -> readNull(line);
			case '#' -> readBoolean(line);
			case ',' -> new DoubleReply(parseDouble(line));
			case '(' -> new BigNumberReply(line);
			case '!' -> new BlobErrorReply(readBlob(line));
			case '=' -> readVerbatim(line);
			case '%' -> readMap(line);
			case '~' -> new SetReply(readElements(line));
			case '>' -> new PushReply(readElements(line));
			default -> throw new IOException("Unknown reply type '" + (char) type + "' before '" + line + "'");
		};
	}

	private List<RespReply> readElements(String countLine) throws IOException {
		int count = Integer.parseInt(countLine);
		List<RespReply> elements = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			elements.add(read());
		}
		return elements;
	}

	private MapReply readMap(String countLine) throws IOException {
		int count = Integer.parseInt(countLine);
		Map<RespReply, RespReply> entries = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			RespReply key = read();
			if (entries.put(key, read()) != null) {
				throw new IOException("Key " + key + " twice in a map");
			}
		}
		return new MapReply(entries);
	}

	private VerbatimReply readVerbatim(String lengthLine) throws IOException {
		String content = readBlob(lengthLine);
		if (content.length() < 4 || content.charAt(3) != ':') {
			throw new IOException("Verbatim string without its format: '" + content + "'");
		}
		return new VerbatimReply(content.substring(0, 3), content.substring(4));
	}

	private String readBlob(String lengthLine) throws IOException {
		int length = Integer.parseInt(lengthLine);
		byte[] content = this.input.readNBytes(length + 2);
		if (content.length < length + 2) {
			throw new EOFException("Connection ended inside a reply of " + length + " bytes");
		}
		if (content[length] != '\r' || content[length + 1] != '\n') {
			throw new IOException("Reply of " + length + " bytes not followed by CRLF");
		}
		return new String(content, 0, length, StandardCharsets.UTF_8);
	}

	private static NullReply readNull(String line) throws IOException {
		if (!line.isEmpty()) {
			throw new IOException("Null followed by '" + line + "'");
		}
		return new NullReply();
	}

	private static BooleanReply readBoolean(String line) throws IOException {
		return switch (line) {
			case "t" -> new BooleanReply(true);
			case "f" -> new BooleanReply(false);
			default -> throw new IOException("Not a boolean: '" + line + "'");
		};
	}

	private static double parseDouble(String line) {
		return switch (line) {
			case "inf" -> Double.POSITIVE_INFINITY;
			case "-inf" -> Double.NEGATIVE_INFINITY;
			case "nan" -> Double.NaN;
			default -> Double.parseDouble(line);
		};
	}

	private String readLine() throws IOException {
		return readLine(this.input);
	}

	/**
	 * Read one line ended by CRLF, without the CRLF.
	 * @param input the stream
	 * @return the line
	 * @throws IOException if the read fails, or the stream ends first
	 */
	static String readLine(InputStream input) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int next = input.read();
			if (next == -1) {
				throw new EOFException("Connection ended after '" + line.toString(StandardCharsets.UTF_8) + "'");
			}
			if (previous == '\r' && next == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(next);
			previous = next;
		}
	}

}
