package dev.subscriptions.web.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test's application context checks tokens against the {@link TestIdentityProvider}:
 * its {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} is set before the
 * context is configured (Spring Boot decides by that property whether there is a token
 * decoder at all, so a bean could set it too late).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithTestIdentityProvider {

}
