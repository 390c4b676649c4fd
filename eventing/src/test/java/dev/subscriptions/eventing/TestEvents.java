package dev.subscriptions.eventing;

import java.util.UUID;

import dev.subscriptions.events.customer.CustomerCreated;
import dev.subscriptions.events.customer.CustomerDeleted;
import dev.subscriptions.schemas.fixtures.CustomerFixture;

/**
 * The contract events these tests send, built by the contract's fixtures: customers of
 * one organization, identified by the tests' own customer ids (the record keys they look
 * for), with a name the test service reacts to.
 */
public final class TestEvents {

	public static final UUID ORGANIZATION = UUID.fromString("5b0d2a4e-7f0b-4c55-9a59-1f6f1a7b5c01");

	private TestEvents() {
	}

	/** The customer of that id. */
	public static CustomerFixture customer(String customerId) {
		return CustomerFixture.of(ORGANIZATION, UUID.fromString(customerId));
	}

	public static CustomerCreated customerCreated(String customerId, String name) {
		return customer(customerId).created().setName(name).build();
	}

	public static CustomerDeleted customerDeleted(String customerId) {
		return customer(customerId).deleted().build();
	}

}
