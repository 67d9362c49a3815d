package io.github.glidesocket.sample.resp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.core.SocketSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RespConnectionHandler}, driven through in-memory connections, each in both
 * {@link ServeMode serve modes}.
 */
class RespConnectionHandlerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RespStore store = new RespStore();

	private final RespConnectionHandler handler = new RespConnectionHandler(this.store);

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final AtomicLong ids = new AtomicLong();

	@AfterEach
	void stopExecutor() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenPipelinedBatchArrivesInOneReadShouldWriteAllRepliesWithOneFlush(ServeMode mode) throws Exception {
		StringBuilder batch = new StringBuilder();
		StringBuilder replies = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			batch.append("*3\r\n$3\r\nSET\r\n$5\r\nkey:").append(i % 10).append("\r\n$3\r\nxxx\r\n");
			replies.append("+OK\r\n");
		}
		batch.append("PING\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$3\r\nGET\r\n$5\r\nkey:3\r\n");
		replies.append("+PONG\r\n:1\r\n$3\r\nxxx\r\n");
		RecordingOutputStream output = serve(mode, batch.toString());
		assertThat(output.text()).isEqualTo(replies.toString());
		assertThat(output.writes()).isOne();
		assertThat(output.flushes()).isOne();
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenRequestsArriveInSeveralReadsShouldFlushOncePerRead(ServeMode mode) throws Exception {
		RecordingOutputStream output = serve(mode, "PING\r\nPING\r\n", "*1\r\n$4\r\nPING\r\n", "ECHO a\r\nECHO b\r\n");
		assertThat(output.text()).isEqualTo("+PONG\r\n+PONG\r\n+PONG\r\n$1\r\na\r\n$1\r\nb\r\n");
		assertThat(output.flushes()).isEqualTo(3);
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenRequestIsSplitAcrossReadsShouldAnswerOnceItIsComplete(ServeMode mode) throws Exception {
		this.store.set(bytes("k"), bytes("v"));
		RecordingOutputStream output = serve(mode, "*2\r\n$3\r\nGE", "T\r\n$1\r", "\nk\r\n");
		assertThat(output.text()).isEqualTo("$1\r\nv\r\n");
		assertThat(output.flushes()).isOne();
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenValueIsLargerThanBuffersShouldStoreAndReturnItWhole(ServeMode mode) throws Exception {
		byte[] value = new byte[3 * 1024 * 1024];
		for (int i = 0; i < value.length; i++) {
			value[i] = (byte) (i * 31);
		}
		List<byte[]> chunks = new ArrayList<>();
		chunks.add(bytes("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + value.length + "\r\n"));
		chunks.add(value);
		chunks.add(bytes("\r\n*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"));
		RecordingOutputStream output = new RecordingOutputStream();
		serve(mode, this.handler, new ScriptedInputStream(chunks.toArray(byte[][]::new)), output);
		assertThat(this.store.get(bytes("big"))).isEqualTo(value);
		byte[] header = bytes("+OK\r\n$" + value.length + "\r\n");
		byte[] replies = output.toByteArray();
		assertThat(replies).hasSize(header.length + value.length + 2).startsWith(header).endsWith('\r', '\n');
		assertThat(replies).containsSubsequence(value);
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenProtocolErrorShouldAnswerEarlierRequestsReplyErrorAndClose(ServeMode mode) throws Exception {
		ScriptedInputStream input = ScriptedInputStream.of("PING\r\n*x\r\nPING\r\n", "PING\r\n");
		RecordingOutputStream output = new RecordingOutputStream();
		serve(mode, this.handler, input, output);
		assertThat(output.text()).isEqualTo("+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
		assertThat(output.flushes()).isOne();
		assertThat(input.reads()).isOne();
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenDeclaredBulkLengthIsOverLimitShouldReplyErrorAndClose(ServeMode mode) throws Exception {
		ScriptedInputStream input = ScriptedInputStream.of("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2147483647\r\n", "x");
		RecordingOutputStream output = new RecordingOutputStream();
		serve(mode, this.handler, input, output);
		assertThat(output.text()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
		assertThat(input.reads()).isOne();
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenLimitsAreSmallerShouldEnforceThem(ServeMode mode) throws Exception {
		RespConnectionHandler strict = new RespConnectionHandler(this.store, new RespLimits(4, 3, 64), Map::of);
		assertThat(serve(mode, strict, "*2\r\n$4\r\nECHO\r\n$4\r\nabcd\r\n*2\r\n$4\r\nECHO\r\n$5\r\nabcde\r\n").text())
			.isEqualTo("$4\r\nabcd\r\n-ERR Protocol error: invalid bulk length\r\n");
		assertThat(serve(mode, strict, "*4\r\n").text()).isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
		assertThat(serve(mode, strict, "ECHO " + "x".repeat(100) + "\r\n").text())
			.isEqualTo("-ERR Protocol error: too big inline request\r\n");
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenCommandIsUnknownOrArityWrongShouldKeepConnectionUsable(ServeMode mode) throws Exception {
		RecordingOutputStream output = serve(mode, "FOO bar\r\nGET\r\n", "PING\r\n");
		assertThat(output.text()).isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n"
				+ "-ERR wrong number of arguments for 'get' command\r\n+PONG\r\n");
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenHelloThreeShouldSwitchOnlyThatConnectionToRespThree(ServeMode mode) throws Exception {
		String replies = serve(mode, "GET missing\r\nHELLO 3\r\nGET missing\r\n", "GET missing\r\nHELLO 2\r\n",
				"GET missing\r\n")
			.text();
		assertThat(replies).startsWith("$-1\r\n%7\r\n$6\r\nserver\r\n")
			.contains("*0\r\n_\r\n_\r\n*14\r\n")
			.endsWith("*0\r\n$-1\r\n");
		assertThat(serve(mode, "GET missing\r\n").text()).isEqualTo("$-1\r\n");
	}

	@ParameterizedTest
	@EnumSource
	@Timeout(30)
	void handleShouldListEachConnectionWhileItIsOpen(ServeMode mode) throws Exception {
		Pipe requests = new Pipe();
		Pipe replies = new Pipe();
		CompletableFuture<Void> named = serveAsync(mode, requests.input, replies);
		requests.write("CLIENT SETNAME first\r\n");
		assertThat(replies.read(5)).isEqualTo("+OK\r\n");
		assertThat(serve(mode, "CLIENT LIST\r\n").text()).contains(" name=first ", " cmd=client|list ");
		requests.close();
		assertThat(named).succeedsWithin(WAIT);
		assertThat(serve(mode, "CLIENT LIST\r\n").text()).doesNotContain("name=first");
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenQuitShouldReplyOkAndIgnoreLaterRequests(ServeMode mode) throws Exception {
		ScriptedInputStream input = ScriptedInputStream.of("PING\r\nQUIT\r\nSET k v\r\n", "PING\r\n");
		RecordingOutputStream output = new RecordingOutputStream();
		serve(mode, this.handler, input, output);
		assertThat(output.text()).isEqualTo("+PONG\r\n+OK\r\n");
		assertThat(this.store.get(bytes("k"))).isNull();
		assertThat(input.reads()).isOne();
	}

	@ParameterizedTest
	@EnumSource
	void handleWhenInputEndsInsideRequestShouldDropItAndReturn(ServeMode mode) throws Exception {
		RecordingOutputStream output = serve(mode, "PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n");
		assertThat(output.text()).isEqualTo("+PONG\r\n");
		assertThat(this.store.get(bytes("k"))).isNull();
	}

	@ParameterizedTest
	@EnumSource
	@Timeout(30)
	void handleWhenInputReachesEndOfStreamShouldAnswerEverythingReadAndReturn(ServeMode mode) throws Exception {
		Pipe requests = new Pipe();
		Pipe replies = new Pipe();
		CompletableFuture<Void> served = serveAsync(mode, requests.input, replies);
		requests.write("SET k v\r\n");
		assertThat(replies.read(5)).isEqualTo("+OK\r\n");
		requests.write("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nINCR n\r\nINCR n\r\n");
		requests.close();
		assertThat(served).succeedsWithin(WAIT);
		assertThat(replies.read(15)).isEqualTo("$1\r\nv\r\n:1\r\n:2\r\n");
	}

	@ParameterizedTest
	@EnumSource
	@Timeout(30)
	void handleWhenOneConnectionFailsShouldKeepOtherConnectionsServing(ServeMode mode) throws Exception {
		RespConnectionHandler failingInfo = new RespConnectionHandler(this.store, RespLimits.defaults(), () -> {
			throw new IllegalStateException("info unavailable");
		});
		Pipe requests = new Pipe();
		Pipe replies = new Pipe();
		CompletableFuture<Void> healthy = serveAsync(mode, failingInfo, requests.input, replies);
		requests.write("SET a 1\r\n");
		assertThat(replies.read(5)).isEqualTo("+OK\r\n");
		assertThatIllegalStateException()
			.isThrownBy(() -> serve(mode, failingInfo, ScriptedInputStream.of("INCR a\r\nINFO\r\n"),
					new RecordingOutputStream()))
			.withMessage("info unavailable");
		requests.write("GET a\r\nPING\r\n");
		assertThat(replies.read(14)).isEqualTo("$1\r\n2\r\n+PONG\r\n");
		requests.close();
		assertThat(healthy).succeedsWithin(WAIT);
	}

	@ParameterizedTest
	@EnumSource
	@Timeout(60)
	void handleWhenManyConnectionsIncrementOneKeyShouldCountEveryIncrement(ServeMode mode) throws Exception {
		int connections = 8;
		int batches = 50;
		int batchSize = 16;
		String batch = "*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n".repeat(batchSize);
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<RecordingOutputStream>> results = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			String[] chunks = new String[batches];
			Arrays.fill(chunks, batch);
			results.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
					RecordingOutputStream output = new RecordingOutputStream();
					serve(mode, this.handler, ScriptedInputStream.of(chunks), output);
					return output;
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, this.executor));
		}
		start.countDown();
		for (CompletableFuture<RecordingOutputStream> result : results) {
			assertThat(result).succeedsWithin(WAIT)
				.satisfies((output) -> assertThat(output.flushes()).isEqualTo(batches));
		}
		assertThat(this.store.get(bytes("counter"))).asString(StandardCharsets.US_ASCII)
			.isEqualTo(Integer.toString(connections * batches * batchSize));
	}

	@ParameterizedTest
	@EnumSource
	@Timeout(30)
	void handleWhenConnectionsTogetherReachTheBufferedRequestLimitShouldRefuseOnlyTheRequestOverIt(ServeMode mode)
			throws Exception {
		RespConnectionHandler bounded = new RespConnectionHandler(this.store,
				new RespLimits(RespLimits.DEFAULT_MAX_BULK_LENGTH, 16, 1024, 1_000_000), Map::of);
		Pipe requests = new Pipe();
		Pipe replies = new Pipe();
		CompletableFuture<Void> uploading = serveAsync(mode, bounded, requests.input, replies);
		requests.write("*3\r\n$3\r\nSET\r\n$5\r\nfirst\r\n$700000\r\n" + "x".repeat(600_000));
		await().atMost(WAIT).until(() -> bounded.bufferedRequestBytes() >= 600_000);
		RecordingOutputStream refused = serve(mode, bounded,
				"*3\r\n$3\r\nSET\r\n$6\r\nsecond\r\n$700000\r\n" + "y".repeat(700_000) + "\r\nPING\r\n");
		assertThat(refused.text()).isEqualTo("-ERR max buffered request bytes reached\r\n");
		assertThat(this.store.get(bytes("second"))).isNull();
		requests.write("x".repeat(100_000) + "\r\nSTRLEN first\r\n");
		assertThat(replies.read(14)).isEqualTo("+OK\r\n:700000\r\n");
		requests.close();
		assertThat(uploading).succeedsWithin(WAIT);
		assertThat(bounded.bufferedRequestBytes()).isZero();
	}

	@Test
	void eventSessionWhenRepliesAreNotReadShouldLeaveLaterRequestsUntilTheRepliesAreSent() throws Exception {
		int valueLength = 100 * 1024;
		int gets = 200;
		this.store.set("big".getBytes(StandardCharsets.US_ASCII), new byte[valueLength]);
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output).holdingOutput();
		SocketSession session = this.handler.eventHandler().open(connection);
		ByteBuffer input = ByteBuffer
			.wrap("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".repeat(gets).getBytes(StandardCharsets.US_ASCII));
		session.received(input);
		// Replies held for a client that does not read stay bounded, whatever it pipelined.
		assertThat(connection.pendingOutputBytes()).isLessThan(512 * 1024);
		assertThat(input.hasRemaining()).as("requests left for later").isTrue();
		for (int offers = 0; input.hasRemaining() && offers < gets; offers++) {
			connection.sendPendingOutput();
			session.received(input);
			assertThat(connection.pendingOutputBytes()).isLessThan(512 * 1024);
		}
		String reply = "$" + valueLength + "\r\n" + "\0".repeat(valueLength) + "\r\n";
		assertThat(output.text()).isEqualTo(reply.repeat(gets));
	}

	@Test
	void eventSessionWhenMgetReplyIsFarLargerThanTheBacklogShouldWriteItInPartsAsTheRepliesAreSent()
			throws Exception {
		byte[] value = patterned(1024 * 1024, 7);
		this.store.set(bytes("big"), value);
		int keys = 20;
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output).holdingOutput();
		SocketSession session = this.handler.eventHandler().open(connection);
		ByteBuffer input = ByteBuffer.wrap(bytes(mget("big", keys) + "PING\r\n"));
		session.received(input);
		assertThat(connection.pendingOutputBytes()).isBetween(1, 512 * 1024);
		assertThat(input.remaining()).as("the request's last byte and the PING, left for later").isEqualTo(7);
		assertThat(this.handler.bufferedRequestBytes()).as("the MGET, reserved until answered").isPositive();
		int offers = 1;
		while (input.hasRemaining()) {
			connection.sendPendingOutput();
			session.received(input);
			offers++;
			assertThat(connection.pendingOutputBytes()).isLessThanOrEqualTo(512 * 1024);
			assertThat(offers).as("offers").isLessThan(1000);
		}
		byte[] element = concat(bytes("$" + value.length + "\r\n"), value, bytes("\r\n"));
		byte[][] expected = new byte[keys + 2][];
		expected[0] = bytes("*" + keys + "\r\n");
		Arrays.fill(expected, 1, keys + 1, element);
		expected[keys + 1] = bytes("+PONG\r\n");
		assertThat(output.toByteArray()).isEqualTo(concat(expected));
		assertThat(offers).isGreaterThan(keys * 3);
		assertThat(this.handler.bufferedRequestBytes()).isZero();
		session.closed();
	}

	@Test
	void eventSessionWhenMgetPausesShouldReadEachKeyOnlyWhenItsValueIsWritten() throws Exception {
		byte[] oldA = patterned(300 * 1024, 1);
		byte[] b = patterned(300 * 1024, 2);
		byte[] newC = patterned(300 * 1024, 3);
		this.store.set(bytes("a"), oldA);
		this.store.set(bytes("b"), b);
		this.store.set(bytes("c"), patterned(300 * 1024, 4));
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output).holdingOutput();
		SocketSession session = this.handler.eventHandler().open(connection);
		ByteBuffer input = ByteBuffer.wrap(bytes("MGET a b c\r\n"));
		session.received(input);
		assertThat(output.toByteArray().length).isLessThan(oldA.length);
		// Changed after the reply began: a is being written as it was, c is read when its turn comes.
		this.store.set(bytes("a"), patterned(300 * 1024, 5));
		this.store.set(bytes("c"), newC);
		while (input.hasRemaining()) {
			connection.sendPendingOutput();
			session.received(input);
		}
		assertThat(output.toByteArray()).isEqualTo(concat(bytes("*3\r\n"), bulk(oldA), bulk(b), bulk(newC)));
	}

	@Test
	void eventSessionWhenValueIsLargerThanTheConnectionOutputLimitShouldStreamIt() throws Exception {
		byte[] value = patterned(6 * 1024 * 1024, 9);
		this.store.set(bytes("huge"), value);
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output).holdingOutput();
		SocketSession session = this.handler.eventHandler().open(connection);
		ByteBuffer input = ByteBuffer.wrap(bytes("GET huge\r\nECHO done\r\n"));
		int largestPending = 0;
		for (boolean first = true; first || input.hasRemaining(); first = false) {
			connection.sendPendingOutput();
			session.received(input);
			largestPending = Math.max(largestPending, connection.pendingOutputBytes());
		}
		assertThat(largestPending).isLessThanOrEqualTo(512 * 1024);
		assertThat(output.toByteArray()).isEqualTo(concat(bulk(value), bytes("$4\r\ndone\r\n")));
	}

	@Test
	void eventSessionWhenKeysReplyIsLargerThanTheBacklogShouldWriteTheSameReplyInParts() throws Exception {
		for (int i = 0; i < 40; i++) {
			this.store.set(patterned(20 * 1024, i), bytes("v"));
		}
		String expected = serve(ServeMode.THREAD_PER_CONNECTION, "KEYS *\r\n").text();
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output).holdingOutput();
		SocketSession session = this.handler.eventHandler().open(connection);
		ByteBuffer input = ByteBuffer.wrap(bytes("KEYS *\r\n"));
		session.received(input);
		assertThat(input.hasRemaining()).isTrue();
		while (input.hasRemaining()) {
			assertThat(connection.pendingOutputBytes()).isLessThanOrEqualTo(512 * 1024);
			connection.sendPendingOutput();
			session.received(input);
		}
		assertThat(output.text()).hasSize(40 * (20 * 1024 + 10) + 5).isEqualTo(expected);
	}

	@Test
	void eventSessionWhenClosedWithReplyUnfinishedShouldGiveBackTheRequestsBytes() throws Exception {
		this.store.set(bytes("big"), new byte[1024 * 1024]);
		TestEventConnection connection = new TestEventConnection(1, new RecordingOutputStream()).holdingOutput();
		SocketSession session = this.handler.eventHandler().open(connection);
		session.received(ByteBuffer.wrap(bytes(mget("big", 10))));
		assertThat(this.handler.bufferedRequestBytes()).isPositive();
		session.closed();
		assertThat(this.handler.bufferedRequestBytes()).isZero();
	}

	@Test
	void eventSessionWhenShutdownIsRequestedWhileIdleShouldCloseAtOnce() throws Exception {
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output);
		SocketSession session = this.handler.eventHandler().open(connection);
		session.received(ByteBuffer.wrap(bytes("PING\r\nSET k v\r\n")));
		session.shutdownRequested();
		assertThat(connection.isClosing()).isTrue();
		assertThat(output.text()).isEqualTo("+PONG\r\n+OK\r\n");
		session.closed();
	}

	@Test
	void eventSessionWhenShutdownIsRequestedInsideARequestShouldAnswerItBeforeTheClose() throws Exception {
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output);
		SocketSession session = this.handler.eventHandler().open(connection);
		session.received(ByteBuffer.wrap(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhel")));
		session.shutdownRequested();
		assertThat(connection.isClosing()).as("closing in the middle of a request").isFalse();
		// The rest of the request arrived before the loop ended the input.
		session.received(ByteBuffer.wrap(bytes("lo\r\nGET k\r\n")));
		session.endOfInput();
		assertThat(output.text()).isEqualTo("+OK\r\n$5\r\nhello\r\n");
		session.closed();
	}

	@Test
	void eventSessionWhenShutdownIsRequestedWhileRepliesWaitShouldNotCloseBeforeTheyAreSent() throws Exception {
		this.store.set(bytes("big"), new byte[1024 * 1024]);
		RecordingOutputStream output = new RecordingOutputStream();
		TestEventConnection connection = new TestEventConnection(1, output).holdingOutput();
		SocketSession session = this.handler.eventHandler().open(connection);
		session.received(ByteBuffer.wrap(bytes("SET small v\r\n")));
		session.shutdownRequested();
		assertThat(connection.isClosing()).as("closing with a reply waiting to be sent").isFalse();
		connection.sendPendingOutput();
		ByteBuffer input = ByteBuffer.wrap(bytes("GET big\r\n"));
		session.received(input);
		session.shutdownRequested();
		assertThat(connection.isClosing()).as("closing with a reply unfinished").isFalse();
		while (input.hasRemaining()) {
			connection.sendPendingOutput();
			session.received(input);
		}
		assertThat(output.toByteArray()).hasSize("+OK\r\n$1048576\r\n".length() + 1024 * 1024 + 2);
		session.closed();
	}

	@Test
	void handleWhenSocketStopsShouldAnswerWhatWasReadThenReturn() throws Exception {
		TestSocketConnection connection = new TestSocketConnection(1,
				ScriptedInputStream.of("PING\r\nINCR n\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n"),
				new RecordingOutputStream());
		connection.requestShutdown();
		this.handler.handle(connection);
		assertThat(((RecordingOutputStream) connection.outputStream()).text()).isEqualTo("+PONG\r\n:1\r\n");
		assertThat(this.store.get(bytes("k"))).isNull();
		assertThat(this.handler.bufferedRequestBytes()).isZero();
	}

	@Test
	void createWhenArgumentIsNullShouldFail() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RespConnectionHandler(null))
			.withMessage("'store' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> new RespConnectionHandler(this.store, null, Map::of))
			.withMessage("'limits' must not be null");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RespConnectionHandler(this.store, RespLimits.defaults(), null))
			.withMessage("'info' must not be null");
	}

	private RecordingOutputStream serve(ServeMode mode, String... chunks) throws Exception {
		return serve(mode, this.handler, chunks);
	}

	private RecordingOutputStream serve(ServeMode mode, RespConnectionHandler handler, String... chunks)
			throws Exception {
		RecordingOutputStream output = new RecordingOutputStream();
		serve(mode, handler, ScriptedInputStream.of(chunks), output);
		return output;
	}

	private void serve(ServeMode mode, RespConnectionHandler handler, InputStream input, OutputStream output)
			throws Exception {
		mode.serve(handler, this.ids.incrementAndGet(), input, output);
	}

	private CompletableFuture<Void> serveAsync(ServeMode mode, InputStream input, Pipe replies) {
		return serveAsync(mode, this.handler, input, replies);
	}

	private CompletableFuture<Void> serveAsync(ServeMode mode, RespConnectionHandler handler, InputStream input,
			Pipe replies) {
		return CompletableFuture.runAsync(() -> {
			try {
				serve(mode, handler, input, replies.output);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, this.executor);
	}

	private static String mget(String key, int times) {
		return "*" + (times + 1) + "\r\n$4\r\nMGET\r\n" + ("$" + key.length() + "\r\n" + key + "\r\n").repeat(times);
	}

	private static byte[] patterned(int length, int seed) {
		byte[] value = new byte[length];
		for (int i = 0; i < length; i++) {
			value[i] = (byte) (i * 31 + seed);
		}
		return value;
	}

	private static byte[] bulk(byte[] value) {
		return concat(bytes("$" + value.length + "\r\n"), value, bytes("\r\n"));
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		ByteBuffer joined = ByteBuffer.allocate(length);
		for (byte[] part : parts) {
			joined.put(part);
		}
		return joined.array();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * One direction of an in-memory connection. Written by one thread and read by another.
	 */
	private static final class Pipe {

		private final PipedInputStream input = new PipedInputStream(64 * 1024);

		private final PipedOutputStream output;

		Pipe() throws IOException {
			this.output = new PipedOutputStream(this.input);
		}

		void write(String text) throws IOException {
			this.output.write(bytes(text));
			this.output.flush();
		}

		String read(int length) throws IOException {
			return new String(this.input.readNBytes(length), StandardCharsets.ISO_8859_1);
		}

		void close() throws IOException {
			this.output.close();
		}

	}

}
