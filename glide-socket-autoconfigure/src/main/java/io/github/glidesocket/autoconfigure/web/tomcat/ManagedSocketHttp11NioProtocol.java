package io.github.glidesocket.autoconfigure.web.tomcat;

import io.github.glidesocket.autoconfigure.web.WebServerSocket;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO protocol on the connections of the web socket. Public with a no-argument
 * constructor, so that Tomcat can create it by class name as a factory's main protocol.
 */
public class ManagedSocketHttp11NioProtocol extends Http11NioProtocol {

	private final ManagedSocketNioEndpoint endpoint;

	public ManagedSocketHttp11NioProtocol() {
		this(new ManagedSocketNioEndpoint());
	}

	private ManagedSocketHttp11NioProtocol(ManagedSocketNioEndpoint endpoint) {
		super(endpoint);
		this.endpoint = endpoint;
	}

	/**
	 * Serve the web socket; called once, before the connector starts.
	 * @param socket the web socket
	 */
	void serveOn(WebServerSocket socket) {
		this.endpoint.serveOn(socket);
	}

}
