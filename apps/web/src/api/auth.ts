import type {
  ChangePasswordInput,
  LoginInput,
  LoginResponse,
  RegisterInput,
  UpdateMeInput,
  User,
} from '@modelyard/contracts';
import { http, type RequestOptions } from './http';

type CallOptions = Pick<RequestOptions, 'silent' | 'skipAuthRefresh' | 'signal'>;

export interface UserResponse {
  user: User;
}

// Login and register report their errors inline in the form, and a 401 there means "wrong password", not
// "session expired": no toast, no refresh.
const anonymous = { silent: true, skipAuthRefresh: true } as const;

export const authApi = {
  login: (input: LoginInput) => http.post<LoginResponse>('/auth/login', input, anonymous),
  register: (input: RegisterInput) => http.post<UserResponse>('/auth/register', input, anonymous),
  logout: () => http.post<void>('/auth/logout', undefined, anonymous),
  getMe: (opts?: CallOptions) => http.get<UserResponse>('/auth/me', opts),
  updateMe: (input: UpdateMeInput, opts?: CallOptions) => http.patch<UserResponse>('/auth/me', input, opts),
  changePassword: (input: ChangePasswordInput, opts?: CallOptions) => http.post<void>('/auth/me/password', input, opts),
  uploadAvatar: (file: File, opts?: CallOptions) => {
    const form = new FormData();
    form.append('file', file);
    return http.post<UserResponse>('/auth/me/avatar', form, opts);
  },
};
