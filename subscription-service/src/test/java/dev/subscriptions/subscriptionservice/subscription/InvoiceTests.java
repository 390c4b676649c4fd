package dev.subscriptions.subscriptionservice.subscription;

import static dev.subscriptions.subscriptionservice.subscription.Invoice.Status.OPEN;
import static dev.subscriptions.subscriptionservice.subscription.Invoice.Status.PAID;
import static dev.subscriptions.subscriptionservice.subscription.Invoice.Status.REFUNDED;
import static dev.subscriptions.subscriptionservice.subscription.Invoice.Status.VOID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A billing provider's invoice follows what the provider says of it, forward only, so
 * that two events about one payment pay it once and a late event never takes it back.
 */
class InvoiceTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

	@ParameterizedTest(name = "{0} -> {1}: {2}")
	@CsvSource({ "OPEN, OPEN, false", "OPEN, PAID, true", "OPEN, VOID, true", "OPEN, REFUNDED, true",
			"PAID, OPEN, false", "PAID, PAID, false", "PAID, VOID, false", "PAID, REFUNDED, true", "VOID, OPEN, false",
			"VOID, PAID, false", "VOID, VOID, false", "VOID, REFUNDED, false", "REFUNDED, OPEN, false",
			"REFUNDED, PAID, false", "REFUNDED, VOID, false", "REFUNDED, REFUNDED, false" })
	void movesOnlyForward(Invoice.Status from, Invoice.Status to, boolean moves) {
		Invoice invoice = providers(from);

		assertThat(invoice.follow(to, CLOCK.instant().plusSeconds(60))).isEqualTo(moves);

		assertThat(invoice.getStatus()).isEqualTo(moves ? to : from);
	}

	@Test
	void keepsWhenItWasPaidWhenItIsPaidAgainOrRefunded() {
		Invoice invoice = providers(OPEN);
		Instant paidAt = CLOCK.instant().plusSeconds(60);

		invoice.follow(PAID, paidAt);
		invoice.follow(PAID, paidAt.plusSeconds(60));
		invoice.follow(REFUNDED, paidAt.plusSeconds(120));

		assertThat(invoice.getPaidAt()).isEqualTo(paidAt);
		assertThat(invoice.getStatus()).isEqualTo(REFUNDED);
	}

	@Test
	void takesTheProvidersIdAmountAndCurrency() {
		Invoice invoice = providers(PAID);

		assertThat(invoice).returns(BillingChange.LEMON_SQUEEZY, Invoice::getProvider)
			.returns("in_1", Invoice::getProviderInvoiceId)
			.returns(1999L, Invoice::getAmount)
			.returns("EUR", Invoice::getCurrency)
			.returns(CLOCK.instant(), Invoice::getPaidAt);
		assertThat(providers(VOID).getPaidAt()).isNull();
	}

	@Test
	void becomesTheProvidersInvoiceWhenItIsAnOpenOneOfOursAndMovesOnAsTheProviderSays() {
		Subscription subscription = Subscription.create(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 0,
				Currency.getInstance("XXX"), 0, CLOCK);
		Invoice ours = Invoice.open(subscription, CLOCK);
		Instant paidAt = CLOCK.instant().plusSeconds(60);

		ours.adopt(BillingChange.STRIPE, new BillingChange.ProviderInvoice("in_1", PAID, 1999, "EUR"), paidAt);

		assertThat(ours).returns(BillingChange.STRIPE, Invoice::getProvider)
			.returns("in_1", Invoice::getProviderInvoiceId)
			.returns(1999L, Invoice::getAmount)
			.returns("EUR", Invoice::getCurrency)
			.returns(PAID, Invoice::getStatus)
			.returns(paidAt, Invoice::getPaidAt)
			.returns(subscription.getId(), Invoice::getSubscriptionId);
	}

	@Test
	void refusesToAdoptWhenItIsTheProvidersAlreadyOrNotOpen() {
		Invoice providers = providers(OPEN);
		Subscription subscription = Subscription.create(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 0,
				Currency.getInstance("EUR"), 0, CLOCK);
		Invoice paid = Invoice.open(subscription, CLOCK);
		paid.pay(CLOCK);
		BillingChange.ProviderInvoice other = new BillingChange.ProviderInvoice("in_2", PAID, 500, "USD");

		assertThatIllegalStateException()
			.isThrownBy(() -> providers.adopt(BillingChange.STRIPE, other, CLOCK.instant()))
			.withMessageContaining("lemon_squeezy's already");
		assertThatIllegalStateException().isThrownBy(() -> paid.adopt(BillingChange.STRIPE, other, CLOCK.instant()))
			.withMessageContaining("is paid");
		assertThat(providers.getProviderInvoiceId()).isEqualTo("in_1");
		assertThat(paid.getProvider()).isNull();
	}

	private static Invoice providers(Invoice.Status status) {
		Subscription subscription = Subscription.create(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 0,
				Currency.getInstance("EUR"), 0, CLOCK);
		return Invoice.ofProvider(subscription, BillingChange.LEMON_SQUEEZY,
				new BillingChange.ProviderInvoice("in_1", status, 1999, "EUR"), CLOCK.instant(), CLOCK);
	}

}
