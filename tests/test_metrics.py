"""/metrics: Prometheus counters and latencies by view name, for configured scrapers only."""


def test_metrics_answer_404_to_everyone_by_default(client, as_alex, db):
    assert client.get("/metrics").status_code == 404
    assert as_alex.get("/metrics").status_code == 404  # a signed-in clinician is not a scraper


def test_a_scraper_with_the_token_reads_request_counts_by_view_and_no_client_data(
    client, as_maya, maya, settings
):
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    as_maya.get("/home/")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    scraped = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-0123456789"})
    assert scraped.status_code == 200
    text = scraped.content.decode()
    assert "django_http_responses_total_by_status_view_method_total{" in text
    assert 'view="client_home"' in text
    assert "Maya" not in text and str(maya.pk) not in text and "maya@" not in text


def test_a_scraper_from_a_configured_address_reads_them(client, db, settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1"]
    assert client.get("/metrics").status_code == 200
