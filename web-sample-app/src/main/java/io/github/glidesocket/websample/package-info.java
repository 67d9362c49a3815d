/**
 * A tiny web application that runs on each web server Spring Boot ships, on a glide-socket
 * managed web socket.
 */
@NullMarked
package io.github.glidesocket.websample;

import org.jspecify.annotations.NullMarked;
