import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LoginPage } from '../../src/web/screens/LoginPage';
import { renderRoutes, Route, stubFetch } from './helpers';

const routes = (
  <>
    <Route path="/login" element={<LoginPage />} />
    <Route path="*" element={<p>signed in</p>} />
  </>
);

const SESSION = { success: true, role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z', message: 'Login successful as admin' };

describe('login page', () => {
  it('submits the password and shows "Wrong password" on 401, keeping the field focused and filled', async () => {
    const { calls } = stubFetch({
      'GET /api/auth/status': { body: { password_generated: false, guest_enabled: true } },
      'POST /api/auth/login': { status: 401, body: { detail: 'Invalid password' } },
    });
    renderRoutes('/login?next=%2Frooms%2F3', routes);
    const user = userEvent.setup();

    const field = screen.getByLabelText('Password');
    const submit = screen.getByRole('button', { name: 'Log in' });
    expect(submit).toHaveProperty('disabled', true);
    await user.type(field, 'not-it');
    await user.click(submit);

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Wrong password');
    expect(field).toHaveProperty('value', 'not-it');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(field.getAttribute('aria-describedby')).toBe(alert.id);
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(screen.getByTestId('location').textContent).toBe('/login?next=%2Frooms%2F3');

    const login = calls.find((call) => call.method === 'POST');
    expect(login).toMatchObject({ url: '/api/auth/login', body: { password: 'not-it' } });
    expect(login?.init.credentials).toBe('same-origin');
    expect(new Headers(login?.init.headers).get('content-type')).toBe('application/json');
    // The guest hint follows GET /auth/status.
    expect(screen.getByText(/guest password if the host gave you one/)).toBeTruthy();
  });

  it('goes to the ?next= path after a successful login', async () => {
    stubFetch({
      'GET /api/auth/status': { body: { password_generated: true, guest_enabled: false } },
      'POST /api/auth/login': { body: SESSION },
    });
    renderRoutes('/login?next=%2Frooms%2F3', routes);
    const user = userEvent.setup();
    expect(await screen.findByText(/generated an admin password/)).toBeTruthy();
    await user.type(screen.getByLabelText('Password'), 'right{Enter}');
    expect(await screen.findByText('signed in')).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/rooms/3');
  });

  it('ignores a ?next= that leaves the site', async () => {
    stubFetch({ 'GET /api/auth/status': { body: { password_generated: false, guest_enabled: false } }, 'POST /api/auth/login': { body: SESSION } });
    renderRoutes('/login?next=%2F%2Fevil.example%2F', routes);
    await userEvent.setup().type(screen.getByLabelText('Password'), 'right{Enter}');
    expect(await screen.findByText('signed in')).toBeTruthy();
    expect(screen.getByTestId('location').textContent).toBe('/');
  });

  it('counts down after 429 with the Retry-After seconds', async () => {
    stubFetch({
      'GET /api/auth/status': { body: { password_generated: false, guest_enabled: false } },
      'POST /api/auth/login': { status: 429, body: { detail: 'Rate limit exceeded: 5 per 1 minute' }, headers: { 'Retry-After': '42' } },
    });
    renderRoutes('/login', routes);
    await userEvent.setup().type(screen.getByLabelText('Password'), 'guess{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts. Try again in 42 s');
    expect(screen.getByRole('button', { name: 'Try again in 42 s' })).toHaveProperty('disabled', true);
  });

  it("says when the server can't be reached", async () => {
    const fake = stubFetch({ 'GET /api/auth/status': { body: { password_generated: false, guest_enabled: false } } });
    fake.fetch.mockImplementation(async () => {
      throw new TypeError('Failed to fetch');
    });
    renderRoutes('/login', routes);
    await userEvent.setup().type(screen.getByLabelText('Password'), 'guess{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe("Can't reach the server");
  });
});
