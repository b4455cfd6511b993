from tests.builders import create_locality, create_user


def test_programme_manager_sees_overview_with_locality(app, sign_in):
    locality = create_locality(name="South Somerset")
    client = sign_in(create_user("programme_manager"))
    response = client.get(f"/programmes/{locality.programme.slug}")
    assert response.status_code == 200
    assert "South Somerset" in response.get_data(as_text=True)
