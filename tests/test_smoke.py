def test_caseload_lists_only_the_clinicians_own_clients(as_alex, maya, priya):
    response = as_alex.get("/caseload/")
    assert response.status_code == 200
    assert "Maya Okafor" in response.text
    assert "Priya Nair" not in response.text
