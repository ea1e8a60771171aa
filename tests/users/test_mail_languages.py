"""Account mail is written in the language of the request that asked for it: the job carries it to the
worker, which renders the mail in it (real worker, real SMTP server on loopback)."""

import re

from procrastinate.contrib.django.models import ProcrastinateJob

from tests.factories import UserFactory

STRONG = "Mua-he-2025!"


def subject_of(message) -> str:
    # Django folds a long non-ASCII subject onto a continuation line, which the parser keeps as a space.
    return message["Subject"].strip()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_a_vietnamese_sign_up_gets_its_confirmation_mail_in_vietnamese(api_client, jobs, smtp_server):
    smtp_server.start()
    jobs.start()
    response = api_client.post(
        "/v1/auth/signup", {"email": "thu.ha@example.com", "password": STRONG}, HTTP_ACCEPT_LANGUAGE="vi-VN"
    )
    assert response.status_code == 200

    message = smtp_server.wait_for_message_to("thu.ha@example.com", timeout=30)
    assert subject_of(message) == "[Hust Musik] Xác nhận địa chỉ email của bạn"
    text = smtp_server.text_of(message)
    assert text.startswith("Xin chào thu.ha,")
    assert "Vui lòng xác nhận địa chỉ này thuộc về tài khoản Hust Musik của bạn" in text
    assert re.search(r"http://localhost:3000/verify-email\?key=\S+", text)
    html = html_of(message)
    assert '<html lang="vi">' in html and "Xác nhận email của tôi" in html
    assert "Nếu bạn không yêu cầu email này, bạn có thể bỏ qua nó." in html


def test_a_vietnamese_forgot_password_mails_a_vietnamese_reset_link_that_works(api_client, jobs, smtp_server):
    smtp_server.start()
    jobs.start()
    user = UserFactory(email="quang.huy@example.com", username="Quang Huy")
    response = api_client.post("/v1/auth/forgot-password", {"email": user.email}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200

    message = smtp_server.wait_for_message_to(user.email, timeout=30)
    assert subject_of(message) == "Đặt lại mật khẩu Hust Musik của bạn"
    text = smtp_server.text_of(message)
    assert text.startswith("Xin chào Quang Huy,")
    assert "liên kết chỉ dùng được một lần, trong vòng 60 phút:" in text
    assert "Đặt lại mật khẩu sẽ đăng xuất bạn khỏi mọi thiết bị." in text
    assert "Chọn mật khẩu mới" in html_of(message)
    token = re.search(r"new-password\?token=([^&\s]+)", text).group(1)
    reset = api_client.post("/v1/auth/reset-password", {"token": token, "password": "Mat-khau-moi-2025"})
    assert reset.status_code == 200


def test_mail_stays_english_for_everyone_else(api_client, jobs, smtp_server):
    smtp_server.start()
    jobs.start()
    UserFactory(email="minh@example.com", username="Minh")
    api_client.post("/v1/auth/forgot-password", {"email": "minh@example.com"}, HTTP_ACCEPT_LANGUAGE="fr-FR")

    message = smtp_server.wait_for_message_to("minh@example.com", timeout=30)
    assert subject_of(message) == "Reset your Hust Musik password"
    assert smtp_server.text_of(message).startswith("Hello Minh,")
    assert '<html lang="en">' in html_of(message)


def test_a_mail_job_queued_without_a_language_is_written_in_english(jobs, smtp_server, db):
    """Jobs queued before they carried a language still run."""
    from users import tasks

    smtp_server.start()
    user = UserFactory(email="cu@example.com", username="Cũ")
    tasks.send_password_reset.defer(user_id=str(user.pk))
    jobs.run()
    assert ProcrastinateJob.objects.get(task_name__endswith="send_password_reset").status == "succeeded"
    assert subject_of(smtp_server.wait_for_message_to("cu@example.com", timeout=10)) == "Reset your Hust Musik password"
