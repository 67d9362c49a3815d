/**
 * The glide-socket health indicator on Spring Boot 3's health types. Configures nothing by
 * itself.
 */
@NullMarked
package io.github.glidesocket.boot3.health;

import org.jspecify.annotations.NullMarked;
