/** The local start page: plain HTML forms, no JavaScript, posting to the same routes as on AWS. */
export function startPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>leadpipe local</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.5rem 0}input,textarea,select{width:100%;padding:.4rem}.hp{position:absolute;left:-10000px}</style>
</head>
<body>
<h1>leadpipe: local stack</h1>
<p>Sign up below, then look at <a href="/_dev/mail">/_dev/mail</a> for the double-opt-in email.</p>
<form method="post" action="/forms/newsletter">
  <h2>Newsletter</h2>
  <label>Email <input type="email" name="email" required></label>
  <label>First name <input name="firstName"></label>
  <label class="hp" aria-hidden="true">Website <input name="website" tabindex="-1" autocomplete="off"></label>
  <label><input type="checkbox" name="marketingConsent" required style="width:auto"> Yes, send me the newsletter. I can unsubscribe at any time.</label>
  <button type="submit">Subscribe</button>
</form>
</body>
</html>`;
}
