package io.github.glidesocket.websample.process;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients that send {@code GET /hello} through nginx one after another, each on a connection of
 * its own, until stopped; they count what was answered, which process answered it, and every
 * failure (a status other than 200, such as nginx's 502 or 504, or a failed connect).
 */
final class RequestLoop implements AutoCloseable {

	private static final Pattern PID = Pattern.compile("hello from (\\d+)");

	private final int port;

	private final List<Thread> clients = new CopyOnWriteArrayList<>();

	private final AtomicLong answered = new AtomicLong();

	private final Set<Long> answeredBy = ConcurrentHashMap.newKeySet();

	private final List<String> failedRequests = new CopyOnWriteArrayList<>();

	private final List<String> failedConnects = new CopyOnWriteArrayList<>();

	private volatile boolean running = true;

	private RequestLoop(int port) {
		this.port = port;
	}

	/**
	 * Start the clients.
	 * @param port nginx's port
	 * @param clients how many clients send at once
	 * @return the running loop
	 */
	static RequestLoop start(int port, int clients) {
		RequestLoop loop = new RequestLoop(port);
		for (int i = 0; i < clients; i++) {
			Thread client = new Thread(loop::send, "request-loop-" + i);
			loop.clients.add(client);
			client.start();
		}
		return loop;
	}

	private void send() {
		while (this.running) {
			try {
				HttpGet.Reply reply = HttpGet.get(this.port, "/hello");
				Matcher pid = PID.matcher(reply.body());
				if (reply.status() == 200 && pid.find()) {
					this.answeredBy.add(Long.parseLong(pid.group(1)));
					this.answered.incrementAndGet();
				}
				else {
					this.failedRequests.add(reply.status() + " " + reply.body().strip());
				}
			}
			catch (ConnectException ex) {
				this.failedConnects.add(ex.toString());
			}
			catch (IOException ex) {
				this.failedRequests.add(ex.toString());
			}
		}
	}

	long answered() {
		return this.answered.get();
	}

	boolean answeredBy(long pid) {
		return this.answeredBy.contains(pid);
	}

	List<String> failedRequests() {
		return this.failedRequests;
	}

	List<String> failedConnects() {
		return this.failedConnects;
	}

	/**
	 * Stop the clients once their requests in flight are done.
	 */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread client : this.clients) {
			client.join();
		}
	}

}
