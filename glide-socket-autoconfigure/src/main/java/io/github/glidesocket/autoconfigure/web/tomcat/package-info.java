/**
 * Tomcat on the web socket: a connector whose endpoint serves the connections glide-socket
 * accepts, loaded only when Tomcat is present.
 */
@NullMarked
package io.github.glidesocket.autoconfigure.web.tomcat;

import org.jspecify.annotations.NullMarked;
