"""Analytics: customers across channels, repeat contacts, links, trends, change and impact.

Every public function here is exported from :mod:`hotline_insight` and its
module is imported on first use:

* :mod:`~hotline_insight.analytics.customers`: ``resolve_customers`` (one
  customer from CRM ids, ticketing ids, account numbers and hashed keys;
  shared keys such as a switchboard number are not used to merge),
  ``customers`` (the customers table: channels, contacts, grievances, segment,
  value and value decile), ``customer_history`` (one customer across channels,
  with open problems, promises and returns);
* :mod:`~hotline_insight.analytics.repeats`: ``repeat_contacts`` (transfers,
  repeats within a window, follow-ups, right-censoring) and
  ``first_contact_resolution`` (per theme, product, policy, channel, queue);
* :mod:`~hotline_insight.analytics.links`: ``link`` (any two dimensions, with
  lift, log-odds with an informative Dirichlet prior, exact or chi-square tests
  with Benjamini-Hochberg, Wilson intervals, value at risk, recurrence);
* :mod:`~hotline_insight.analytics.trends`: ``trends``, ``emerging``,
  ``early_warnings``;
* :mod:`~hotline_insight.analytics.change`: ``before_after`` (did the change
  work, net of the trend under way);
* :mod:`~hotline_insight.analytics.impact`: ``satisfaction_impact``;
* :mod:`~hotline_insight.analytics.rank`: ``rank_grievances``, the one-call,
  value-weighted table;
* :mod:`~hotline_insight.analytics.prepare`: ``prepare_analysis``, to join the
  inputs once for several tables;
* :mod:`~hotline_insight.analytics.stats`: the statistics themselves.

Every table is a DataFrame with a documented schema; figures that are
undefined (a rate without contacts, a ratio of two zeros) are ``<NA>``, never
a number; anonymous and undated contacts are counted apart and said so.

Examples:
    >>> import hotline_insight as hi
    >>> corpus = hi.read("sample_data/tickets/freshdesk", on_error="collect")
    >>> table = hi.read_customers("sample_data/customers.csv")
    >>> people = hi.customers(corpus, table, include_silent=False)
    >>> people.attrs["id_fields"], bool(people["in_table"].all())
    (['custom_fields.cf_customer_id'], True)
"""
