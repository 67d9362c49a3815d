package io.github.glidesocket.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the sample application's HTTP endpoints and reads their JSON.
 */
public final class SampleHttpClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final String baseUrl;

	public SampleHttpClient(int port) {
		this.baseUrl = "http://localhost:" + port;
	}

	public Reply get(String path) throws IOException, InterruptedException {
		return send("GET", path);
	}

	public Reply post(String path) throws IOException, InterruptedException {
		return send("POST", path);
	}

	public Reply delete(String path) throws IOException, InterruptedException {
		return send("DELETE", path);
	}

	/**
	 * The {@code references} of the default socket as the metrics endpoint reports it.
	 * @return the value of {@code glide.socket.references} tagged {@code socket=default}
	 */
	public int referencesMetric() throws IOException, InterruptedException {
		Reply reply = get("/actuator/metrics/glide.socket.references?tag=socket:default");
		if (reply.status() != 200) {
			throw new IllegalStateException("Metrics endpoint answered " + reply.status() + ": " + reply.body());
		}
		return (int) reply.json().path("measurements").path(0).path("value").asDouble();
	}

	/**
	 * The value of a meter as the metrics endpoint reports it: the first measurement (the count
	 * of a counter, the value of a gauge).
	 * @param name the meter name, such as {@code glide.socket.connections.active}
	 * @param tag a tag filter in the endpoint's form, such as {@code socket:default}, or
	 * {@code null} for none
	 * @return the value
	 */
	public double metric(String name, String tag) throws IOException, InterruptedException {
		Reply reply = get("/actuator/metrics/" + name + ((tag != null) ? "?tag=" + tag : ""));
		if (reply.status() != 200) {
			throw new IllegalStateException("Metrics endpoint answered " + reply.status() + " for " + name + ": "
					+ reply.body());
		}
		return reply.json().path("measurements").path(0).path("value").asDouble();
	}

	/**
	 * The default socket as the {@code glidesockets} endpoint describes it.
	 * @return the socket's JSON
	 */
	public JsonNode defaultSocket() throws IOException, InterruptedException {
		Reply reply = get("/actuator/glidesockets/default");
		if (reply.status() != 200) {
			throw new IllegalStateException("glidesockets endpoint answered " + reply.status() + ": " + reply.body());
		}
		return reply.json();
	}

	private Reply send(String method, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(TIMEOUT)
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
		return new Reply(response.statusCode(), response.body());
	}

	/**
	 * A response.
	 *
	 * @param status the HTTP status code
	 * @param body the body, empty if there is none
	 */
	public record Reply(int status, String body) {

		public JsonNode json() {
			return json.readTree(this.body);
		}

	}

}
